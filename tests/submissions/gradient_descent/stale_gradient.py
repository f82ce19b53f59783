import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    g = fp(x0)
    paths = []
    for i in range(max_iter):
        x_new = x - learning_rate * g
        g = fp(x)  # 새 위치가 아니라 이전 위치의 기울기
        x = x_new
        paths.append(x)
    return x, f(x), np.array(paths)
