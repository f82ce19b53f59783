"""Attack: raise exceptions outside the Exception hierarchy, which `except Exception`
in a careless runner would not catch."""


def numerical_derivative(f, x, h=1e-5):
    if x > 0:
        raise KeyboardInterrupt
    raise BaseException("stop the grader")


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
