import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.size):
        original = x[i]
        x[i] = original + h
        f_plus = f(x)
        x[i] = original - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
        # (값 복원하는 줄을 빼먹음: x[i]가 original - h 로 남는다)
    return grad
