import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = [x0]
    x = x0
    for i in range(max_iter - 1):  # 시작점을 넣었으니 한 번 덜 반복
        x = x - learning_rate * fp(x)
        paths.append(x)
    return x, f(x), np.array(paths)
