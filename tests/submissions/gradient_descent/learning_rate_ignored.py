import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    lr = 0.01  # 학습률은 작게
    x = x0
    paths = []
    for i in range(max_iter):
        x = x - lr * fp(x)
        paths.append(x)
    return x, f(x), np.array(paths)
