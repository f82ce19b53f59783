import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        x[i] += h
        f1 = f(x)
        x[i] -= 2 * h
        f2 = f(x)
        x[i] += h  # 원래대로 돌려놓기 (빼고 더해서 복원)
        grad[i] = (f1 - f2) / (2 * h)
    return grad
