import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        paths.append(x)  # 현재 위치를 먼저 기록하고
        x = x - learning_rate * fp(x)  # 그 다음에 이동
    return x, f(x), np.array(paths)
