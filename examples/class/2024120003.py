# 2024120003 신동현
# 배열 복사를 줄이려고 in-place 연산(-=)을 썼습니다
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        xp = x.copy()
        xm = x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad


def gradient_step(x, grad, learning_rate):
    x -= learning_rate * grad
    return x


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        x = x - learning_rate * fp(x)
        paths.append(x)
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        err = w0 + w1 * x - y
        w0, w1 = w0 - learning_rate * np.sum(err) / m, w1 - learning_rate * np.sum(err * x) / m
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
    w = w0
    path = []
    for epoch in range(n_epochs):
        w -= learning_rate * X.T @ (X @ w - y) / m
        path.append(w.copy())
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):
            w -= learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w.copy())
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for k in range(0, m, batch_size):
            b = order[k:k + batch_size]
            w -= learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        path.append(w.copy())
    return w, np.array(path)
