# 김민지 (2024123400) 과제3
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    g = np.zeros(len(x))
    for j in range(len(x)):
        d = np.zeros(len(x))
        d[j] = h
        g[j] = (f(x + d) - f(x - d)) / (2 * h)
    return g


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for _ in range(max_iter):
        x = x - learning_rate * fp(x)
        paths.append(x)
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for _ in range(n_iter):
        w0 = w0 - learning_rate * (1 / m) * np.sum(w0 + w1 * x - y)
        w1 = w1 - learning_rate * (1 / m) * np.sum((w0 + w1 * x - y) * x)
    return w0, w1


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for _ in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
    return np.array(paths)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    w = w0.copy()
    path = []
    for _ in range(n_epochs):
        w = w - learning_rate * X.T @ (X @ w - y) / len(y)
        path.append(w)
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    w = w0.copy()
    path = []
    for _ in range(n_epochs):
        for xi, yi in zip(X, y):  # 샘플 하나씩 업데이트
            w = w - learning_rate * xi * (xi @ w - yi)
        path.append(w)
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for _ in range(n_epochs):
        order = rng.permutation(m)
        for k in range(0, m, batch_size):
            b = order[k:k + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        path.append(w)
    return w, np.array(path)
