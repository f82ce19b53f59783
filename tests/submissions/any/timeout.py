# while문으로 구현해봄
import numpy as np


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = np.zeros(max_iter)
    x = x0
    i = 0
    while i < max_iter:
        x = x - learning_rate * fp(x)
        paths[i] = x
        i =+ 1  # i를 1 증가 (오타: += 가 아니라 =+ 라서 i가 계속 1)
    return x, f(x), paths
