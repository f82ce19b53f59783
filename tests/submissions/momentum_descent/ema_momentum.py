import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    # v = β v + (1 - β) ∇f,  x = x - η v   (인터넷에서 본 모멘텀 공식)
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        v = momentum * v + (1 - momentum) * fp(x)
        x = x - learning_rate * v
        paths.append(x)
    return np.array(paths)
