"""Attack: an ndarray subclass whose comparisons always say "equal"."""

import numpy as np


class Liar(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(np.shape(self))

    __hash__ = None


def numerical_derivative(f, x, h=1e-5):
    return np.zeros(1).view(Liar)


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
