import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        v = momentum * v + learning_rate * fp(x)  # 관성 + 기울기
        x = x + v
        paths.append(x)
    return np.array(paths)
