# 경사하강법
import numpy as np


def gradient_step(x, grad, learning_rate):
    # 기울기 방향으로 이동
    return x + learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        x = x + learning_rate * fp(x)
        paths.append(x)
    return x, f(x), np.array(paths)
