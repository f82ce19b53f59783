"""Attack: patch the runner so that its load report carries problems whose fields are
not what the trusted side expects (a line that is text, a list, a huge number)."""

import gdgrade.sandbox.child as runner


def forged_problems(self):
    return [
        {"kind": "raised", "message": "forged", "line": "not a line", "detail": ""},
        {"kind": "note", "message": ["not text"], "line": [1, 2]},
        {"kind": "crashed", "message": "big", "line": 10**30},
        "not a problem",
    ]


runner.Session._undefined_names = forged_problems


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h) + 1.0


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
