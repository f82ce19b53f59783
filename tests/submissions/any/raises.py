# 단순 선형회귀
import numpy as np


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = x.shape[0]
    n = x.shape[1]  # 특성 개수 (x가 1차원이라 여기서 IndexError)
    for _ in range(n_iter):
        err = w0 + w1 * x - y
        temp0 = w0 - learning_rate * err.mean()
        temp1 = w1 - learning_rate * (err * x).mean()
        w0, w1 = temp0, temp1
    print("데이터", m, "개, 특성", n, "개")
    return w0, w1
