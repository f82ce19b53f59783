import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        x = x - learning_rate * f(x)  # 기울기 대신 함수값을 씀
        paths.append(x)
    return x, f(x), np.array(paths)
