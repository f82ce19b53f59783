import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    i = 0
    while i <= max_iter:  # max_iter 번까지 반복
        x = x - learning_rate * fp(x)
        paths.append(x)
        i += 1
    return x, f(x), np.array(paths)
