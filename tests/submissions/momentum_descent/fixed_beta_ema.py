import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    beta = 0.9  # 보통 0.9를 씀
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        v = beta * v + (1 - beta) * fp(x)
        x = x - learning_rate * v
        paths.append(x)
    return np.array(paths)
