"""Attack: monkeypatch the grader's own modules inside the sandbox (the value encoder, the
decoder, the runner) and try to import the reference solutions and the comparison."""

import sys

import gdgrade.json_values


def numerical_derivative(f, x, h=1e-5):
    gdgrade.json_values.decode = lambda data: 1.0
    for name, module in list(sys.modules.items()):
        if name.startswith("gdgrade") and hasattr(module, "encode"):
            module.encode = lambda value: 1.0  # the runner now "encodes" anything as 1.0
    for name in ("reference", "grader", "grader.expected", "exercises"):
        try:
            __import__(name)
            print(name, "imported")
        except ImportError as exc:
            print(name, type(exc).__name__)
    return object()


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
