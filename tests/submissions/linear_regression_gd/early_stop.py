import numpy as np


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    prev_cost = None
    for it in range(n_iter):
        err = w0 + w1 * x - y
        cost = np.sum(err ** 2) / (2 * m)
        if prev_cost is not None and abs(prev_cost - cost) < 1e-10:
            break  # 비용이 더 이상 줄지 않으면 종료
        prev_cost = cost
        temp0 = w0 - learning_rate * np.sum(err) / m
        temp1 = w1 - learning_rate * np.sum(err * x) / m
        w0, w1 = temp0, temp1
    return w0, w1
