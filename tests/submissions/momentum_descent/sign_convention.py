import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    path = []
    for _ in range(n_iter):
        v = momentum * v + learning_rate * fp(x)  # 부호를 바꿔 쓴 같은 식
        x = x - v
        path.append(x)
    return np.array(path)
