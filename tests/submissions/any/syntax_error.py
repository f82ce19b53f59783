# 과제 3 - 경사하강법
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    # 전진차분
    return (f(x + h) - f(x)) / h


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    for i in range(max_iter)
        x1 = x0 - learning_rate * fp(x0)
        x0 = x1
        paths.append(x0)
    return x0, f(x0), np.array(paths)


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
    return np.array(paths)
