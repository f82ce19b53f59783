"""Attack: read a hidden case's inputs back from the feedback. Print them, raise them in
an exception's message and in its type's name, and spend time in proportion to them."""

import time


def numerical_derivative(f, x, h=1e-5):
    print(f"INPUT x={x!r} h={h!r}")
    time.sleep(min(abs(x), 1.0) / 20)  # the call's duration encodes x
    name = "X_" + repr(x).replace(".", "_").replace("-", "m")
    raise type(name, (ValueError,), {})(f"x={x!r} h={h!r}")


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
