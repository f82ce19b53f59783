import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    beta = 0.9  # 관성 계수는 0.9로 고정
    x, v = x0, 0
    out = []
    for _ in range(n_iter):
        v = beta * v - learning_rate * fp(x)
        x = x + v
        out.append(x)
    return np.array(out)
