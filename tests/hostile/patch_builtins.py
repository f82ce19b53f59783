"""Attack: monkeypatch builtins (type, isinstance, float, abs, round) during the call so
that the code encoding the result in this process is fooled."""

import builtins


class Fake:
    def __float__(self):
        return 0.0


def numerical_derivative(f, x, h=1e-5):
    builtins.isinstance = lambda obj, cls: True
    builtins.type = lambda obj: float
    builtins.abs = lambda value: 0.0
    builtins.round = lambda *args: 0.0
    return Fake()


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
