"""Attack: regain privileges or change the machine: setuid(0), chroot, mount, set the
clock, set the host name, create namespaces."""

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
        if value != 0:
            raise OSError(ctypes.get_errno(), "failed")

    results = []
    attempt(results, "setuid", lambda: os.setuid(0))
    attempt(results, "chroot", lambda: os.chroot("/tmp"))
    attempt(results, "clock", lambda: time.clock_settime(time.CLOCK_REALTIME, 0.0))
    attempt(results, "hostname", lambda: socket.sethostname("pwned"))
    attempt(results, "mount", lambda: checked(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)))
    attempt(results, "netns", lambda: checked(libc.unshare(0x40000000)))
    return results


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
