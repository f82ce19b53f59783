import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    for i in range(n_iter):
        error = (w0 + w1 * x) - y
        grad0 = np.sum(error)
        grad1 = np.sum(error * x)
        temp0 = w0 - learning_rate * grad0
        temp1 = w1 - learning_rate * grad1
        w0 = temp0
        w1 = temp1
    return w0, w1
