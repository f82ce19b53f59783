import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        look_ahead = x + momentum * v  # 미리 가볼 위치에서 기울기 계산
        v = momentum * v - learning_rate * fp(look_ahead)
        x = x + v
        paths.append(x)
    return np.array(paths)
