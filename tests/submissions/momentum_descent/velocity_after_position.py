import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        grad = fp(x)
        x = x + v  # 위치를 먼저 옮기고
        v = momentum * v - learning_rate * grad  # 속도는 나중에
        paths.append(x)
    return np.array(paths)
