"""Attack: subclasses of numpy.float64 and float that pass isinstance checks and lie
in comparisons."""

import numpy as np


class LiarFloat64(np.float64):
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return LiarFloat64(0.0)

    __hash__ = np.float64.__hash__


class LiarFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def numerical_derivative(f, x, h=1e-5):
    return LiarFloat64(0.0) if x > 0 else LiarFloat(0.0)


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
