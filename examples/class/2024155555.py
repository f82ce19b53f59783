# 2024155555 윤서준
# 미니배치(9번)는 시간이 없어서 못 했습니다 ㅠㅠ
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    n = x.shape[0]
    out = np.zeros(n)
    for k in range(n):
        step = np.zeros(n)
        step[k] = h
        out[k] = (f(x + step) - f(x - step)) / (2 * h)
    return out


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    x = x0
    for i in range(max_iter):
        x = gradient_step(x, fp(x), learning_rate)
        paths.append(x)
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        h = w0 + w1 * x
        dw0 = np.sum(h - y) / m
        dw1 = np.sum((h - y) * x) / m
        w0, w1 = w0 - learning_rate * dw0, w1 - learning_rate * dw1
    return w0, w1


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
    return np.array(paths)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        w = w - learning_rate * (X.T @ (X @ w - y)) / m
        path.append(w)
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):
            w = w - learning_rate * (X[i] @ w - y[i]) * X[i]
        path.append(w)
    return w, np.array(path)


# def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
#     TODO
