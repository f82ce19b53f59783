import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        error = y - (w0 + w1 * x)  # 실제값 - 예측값
        temp0 = w0 - learning_rate * np.sum(error) / m
        temp1 = w1 - learning_rate * np.sum(error * x) / m
        w0, w1 = temp0, temp1
    return w0, w1
