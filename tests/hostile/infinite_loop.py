"""Attack (or mistake): a loop that never ends."""


def numerical_derivative(f, x, h=1e-5):
    n = 0
    while x > 0:
        n += 1
    return x


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
