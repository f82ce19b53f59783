import numpy as np


def numerical_gradient(f, x, h=1e-5):
    n = len(x)
    result = [0.0] * n
    base = f(x)
    j = 0
    while j < n:
        e = np.zeros(n)
        e[j] = h
        result[j] = (f(x + e) - base) / h  # 전진 차분
        j += 1
        return np.array(result)
