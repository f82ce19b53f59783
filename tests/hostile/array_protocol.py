"""Attack: an object that numpy would happily convert (`__array__`, `__float__`), whose
conversion is decided only when the grader looks at it."""

import numpy as np


class Chameleon:
    def __array__(self, dtype=None, copy=None):
        return np.asarray(getattr(self, "wanted", 0.0), dtype=dtype)

    def __float__(self):
        return float(getattr(self, "wanted", 0.0))

    def __eq__(self, other):
        self.wanted = other
        return True

    __hash__ = object.__hash__


def numerical_derivative(f, x, h=1e-5):
    return Chameleon()


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
