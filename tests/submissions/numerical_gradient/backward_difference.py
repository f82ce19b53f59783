import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = []
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = 1
        grad.append((f(x) - f(x - h * e)) / h)  # 후방차분
    return np.array(grad)
