import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        x = x - 2 * learning_rate * fp(x)  # 보폭을 두 배로
        paths.append(x)
    return x, f(x), np.array(paths)
