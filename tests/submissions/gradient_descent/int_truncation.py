import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = np.full(max_iter, x0)  # 경로 저장할 배열을 x0로 채워서 미리 만들어 둠
    x = x0
    for i in range(max_iter):
        x = x - learning_rate * fp(x)
        paths[i] = x
    return x, f(x), paths
