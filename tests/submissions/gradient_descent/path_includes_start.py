import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = [x0]  # 시작점도 경로에 넣어야 그래프가 시작점부터 그려짐
    x = x0
    for i in range(max_iter):
        x = x - learning_rate * fp(x)
        paths.append(x)
    return x, f(x), np.array(paths)
