"""Attack: leave SysV shared memory, a semaphore set and a POSIX message queue behind,
objects that outlive their process, as a channel to the next submission graded."""

import ctypes
import os


def numerical_derivative(f, x, h=1e-5):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_void_p]
    ipc_creat = 0o1000
    results = []
    for name, create in (
        ("shm", lambda: libc.shmget(0x5EED, 4096, ipc_creat | 0o666)),
        ("sem", lambda: libc.semget(0x5EED, 1, ipc_creat | 0o666)),
        ("msg", lambda: libc.msgget(0x5EED, ipc_creat | 0o666)),
        ("mq", lambda: libc.mq_open(b"/gdgrade-hostile", os.O_CREAT | os.O_RDWR, 0o666, None)),
    ):
        ok = create() >= 0
        results.append(f"{name} done" if ok else f"{name} refused {ctypes.get_errno()}")
    return results


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
