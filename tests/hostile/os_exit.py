"""Attack: terminate the process at once (no exception, no answer), with status 0 or by
abort()."""

import os


def numerical_derivative(f, x, h=1e-5):
    if x > 0:
        os._exit(0)
    os.abort()


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
