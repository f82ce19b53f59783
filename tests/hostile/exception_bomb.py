"""Attack: an exception whose message cannot be printed (its __str__ raises) or is
enormous, to break the error report."""


class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")


class Enormous(Exception):
    def __str__(self):
        return "!" * 20_000_000


def numerical_derivative(f, x, h=1e-5):
    if x > 0:
        raise Unprintable
    raise Enormous


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
