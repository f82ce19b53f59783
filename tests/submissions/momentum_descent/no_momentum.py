import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    paths = []
    for i in range(n_iter):
        v = 0  # 속도 초기화
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
    return np.array(paths)
