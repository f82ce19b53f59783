import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    for i in range(1, max_iter):  # 1번째 반복부터 세기
        x1 = x0 - learning_rate * fp(x0)
        print("{0:02d} : {1:5.5f}, {2:6.5f}".format(i, x1, f(x1)))
        x0 = x1
        paths.append(x0)
    return x0, f(x0), np.array(paths)
