import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        y_pred = w0 + w1 * x
        # 제곱을 미분하면 2가 앞으로 나옴
        dw0 = (2 / m) * np.sum(y_pred - y)
        dw1 = (2 / m) * np.sum((y_pred - y) * x)
        temp0 = w0 - learning_rate * dw0
        temp1 = w1 - learning_rate * dw1
        w0, w1 = temp0, temp1
    return w0, w1
