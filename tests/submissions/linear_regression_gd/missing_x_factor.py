import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        error = w0 + w1 * x - y
        temp0 = w0 - learning_rate * np.mean(error)
        temp1 = w1 - learning_rate * np.mean(error)  # w1도 같은 식으로
        w0, w1 = temp0, temp1
    return w0, w1
