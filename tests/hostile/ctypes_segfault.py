"""Attack: crash the interpreter with a segmentation fault through ctypes."""

import ctypes


def numerical_derivative(f, x, h=1e-5):
    return ctypes.string_at(0)


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
