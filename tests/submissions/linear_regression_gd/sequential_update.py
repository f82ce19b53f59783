import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        # w0 먼저 업데이트
        w0 = w0 - learning_rate * np.sum(w0 + w1 * x - y) / m
        # 그 다음 w1 업데이트 (temp 변수 없이 바로 대입)
        w1 = w1 - learning_rate * np.sum((w0 + w1 * x - y) * x) / m
    return w0, w1
