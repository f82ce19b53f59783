"""A small seccomp filter: defence in depth behind the namespaces and the uid drop.

It refuses (EPERM) the system calls a student never needs and a kernel exploit or an
escape attempt would: new namespaces (unshare, setns, clone with CLONE_NEW*), mounts,
ptrace and cross-process memory access, bpf, perf, keyrings, userfaultfd, io_uring,
module loading, clock and time changes, and SysV IPC / POSIX message queues (objects
that would outlive the submission). clone3 gets ENOSYS so that the C library falls
back to clone, whose flags a classic BPF filter can inspect. Built by hand (a dozen
lines of classic BPF) because libseccomp's Python binding is not installed; x86_64 only,
elsewhere the filter is skipped (docs/sandbox.md says so).
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000

# BPF opcodes (linux/filter.h)
LD_W_ABS = 0x20
JEQ_K = 0x15
JGE_K = 0x35
JSET_K = 0x45
RET_K = 0x06

# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET
NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000
NAMESPACE_FLAGS |= 0x20000000 | 0x40000000
CLONE, CLONE3 = 56, 435
REFUSED = {
    # SysV IPC and POSIX message queues outlive their processes (and the namespace
    # is shared by the zygote's children): refused so nothing passes between submissions
    "shmget": 29,
    "shmat": 30,
    "shmctl": 31,
    "semget": 64,
    "semop": 65,
    "semctl": 66,
    "shmdt": 67,
    "msgget": 68,
    "msgsnd": 69,
    "msgrcv": 70,
    "msgctl": 71,
    "semtimedop": 220,
    "mq_open": 240,
    "mq_unlink": 241,
    "mq_timedsend": 242,
    "mq_timedreceive": 243,
    "mq_notify": 244,
    "mq_getsetattr": 245,
    "ptrace": 101,
    "syslog": 103,
    "pivot_root": 155,
    "adjtimex": 159,
    "chroot": 161,
    "acct": 163,
    "settimeofday": 164,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "clock_settime": 227,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "perf_event_open": 298,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "clock_adjtime": 305,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("<HBBI", code, jt, jf, k)


def program() -> bytes:
    """The filter as packed `struct sock_filter` entries."""
    refuse = SECCOMP_RET_ERRNO | errno.EPERM
    numbers = sorted(REFUSED.values())
    body = [
        _op(LD_W_ABS, 4),  # seccomp_data.arch
        _op(JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
        _op(RET_K, refuse),  # any other ABI (i386 via int 0x80): refused outright
        _op(LD_W_ABS, 0),  # seccomp_data.nr
        _op(JGE_K, X32_SYSCALL_BIT, 0, 1),
        _op(RET_K, refuse),  # the x32 ABI
        _op(JEQ_K, CLONE3, 0, 1),
        _op(RET_K, SECCOMP_RET_ERRNO | errno.ENOSYS),
        _op(JEQ_K, CLONE, 0, 3),
        _op(LD_W_ABS, 16),  # low 32 bits of clone's flags (args[0])
        _op(JSET_K, NAMESPACE_FLAGS, 0, len(numbers) + 1),  # no CLONE_NEW*: to ALLOW
        _op(RET_K, refuse),
    ]
    for position, number in enumerate(numbers):
        to_refuse = len(numbers) - position  # jump over the remaining tests and ALLOW
        body.append(_op(JEQ_K, number, to_refuse, 0))
    body += [_op(RET_K, SECCOMP_RET_ALLOW), _op(RET_K, refuse)]
    return b"".join(body)


class _Program(ctypes.Structure):
    """struct sock_fprog: the number of entries and where they are."""

    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))


# Built when the zygote imports this module: each submission process only loads it (building
# it there, with its ctypes class and library handle, cost ~0.5 ms in every fresh fork).
PROGRAM = program()
if sys.platform.startswith("linux"):
    _libc = ctypes.CDLL(None, use_errno=True)  # its own handle: argtypes differ from isolation's
    _libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong]
    _libc.prctl.argtypes += [ctypes.c_ulong]


def install() -> bool:
    """Load the filter into this process (inherited by its children); False where it is
    not available. Requires PR_SET_NO_NEW_PRIVS (set by isolation.enter before)."""
    if platform.machine() != "x86_64" or not sys.platform.startswith("linux"):
        return False
    filters = ctypes.create_string_buffer(PROGRAM, len(PROGRAM))
    prog = _Program(len(PROGRAM) // 8, ctypes.cast(filters, ctypes.c_void_p))
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"seccomp: {errno.errorcode.get(err, err)}")
    return True
