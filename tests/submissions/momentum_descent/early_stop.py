import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.asarray(x0, dtype=float)
    v = 0.0 * x
    paths = []
    for i in range(n_iter):
        g = fp(x)
        if np.linalg.norm(g) < 1e-3:  # 기울기가 0에 가까우면 최솟값에 도착
            break
        v = momentum * v - learning_rate * g
        x = x + v
        paths.append(x)
    return np.array(paths)
