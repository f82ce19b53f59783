import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for _ in range(n_iter):
        err = w0 + w1 * x - y
        grad0 = np.sum(err) / (2 * m)  # 비용함수의 1/(2m)을 그대로 씀
        grad1 = np.sum(err * x) / (2 * m)
        w0, w1 = w0 - learning_rate * grad0, w1 - learning_rate * grad1
    return w0, w1
