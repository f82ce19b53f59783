import numpy as np


def numerical_gradient(f, x, h=1e-5):
    n = len(x)
    grad = np.zeros(n)
    fx = f(x)
    for j in range(n):
        x_h = np.copy(x)
        x_h[j] += h
        grad[j] = (f(x_h) - fx) / h  # j번째 변수만 h 증가
    return grad
