import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    history = np.empty((n_iter,) + x.shape)
    for k in range(n_iter):
        history[k] = x  # 이동 전 위치를 저장
        v = momentum * v - learning_rate * fp(x)
        x = x + v
    return history
