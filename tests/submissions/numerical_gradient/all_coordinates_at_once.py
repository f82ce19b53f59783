import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        # 각 변수에 대해 미분
        grad[i] = (f(x + h) - f(x - h)) / (2 * h)
    return grad
