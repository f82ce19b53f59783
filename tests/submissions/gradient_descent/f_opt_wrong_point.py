import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    fx = f(x0)
    for i in range(max_iter):
        fx = f(x0)  # 현재 위치의 함수값
        x1 = x0 - learning_rate * fp(x0)
        x0 = x1
        paths.append(x0)
    return x0, fx, np.array(paths)
