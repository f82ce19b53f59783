import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        g = fp(x)
        v = momentum * v - learning_rate * g
        x = x + momentum * v - learning_rate * g  # 네스테로프 (PyTorch 방식)
        paths.append(x)
    return np.array(paths)
