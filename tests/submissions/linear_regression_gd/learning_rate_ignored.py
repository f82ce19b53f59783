import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    alpha = 0.001
    m = x.shape[0]
    w = np.array([w0, w1], dtype=float)
    A = np.column_stack([np.ones(m), x])
    for _ in range(n_iter):
        w = w - alpha * A.T @ (A @ w - y) / m
    return w[0], w[1]
