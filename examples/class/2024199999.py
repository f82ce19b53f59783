# 2024199999 강예린
# 비용함수 J = 1/(2m) Σ (h - y)^2 을 미분해서 구현
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


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
        pred = w0 + w1 * x
        # (h - y)^2 미분 -> 2(h - y)
        d0 = 2 * np.sum(pred - y) / m
        d1 = 2 * np.sum((pred - y) * x) / m
        temp0 = w0 - learning_rate * d0
        temp1 = w1 - learning_rate * d1
        w0, w1 = temp0, temp1
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
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        grad = np.zeros(len(w))
        for i in range(len(y)):
            grad += X[i] * (X[i] @ w - y[i])  # 모든 샘플 기울기 합
        w = w - learning_rate * grad
        path.append(w)
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w)
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for k in range(0, m, batch_size):
            b = order[k:k + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        path.append(w)
    return w, np.array(path)
