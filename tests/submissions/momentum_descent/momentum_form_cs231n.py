import numpy as np


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = []
    for _ in range(n_iter):
        v_prev = v.copy()
        v = momentum * v - learning_rate * fp(x)
        x = x - momentum * v_prev + (1 + momentum) * v  # cs231n 노트의 Nesterov
        out.append(x.copy())
    return np.array(out)
