# 2024120002 윤채원
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    grad = []
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        grad.append((f(x + e) - f(x - e)) / (2 * h))
    return np.array(grad)


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    for i in range(1, max_iter):
        x1 = x0 - learning_rate * fp(x0)
        print("{0:02d} : {1:5.5f}, {2:6.5f}".format(i, x1, f(x1)))
        x0 = x1
        paths.append(x0)
    return x0, f(x0), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        err = w0 + w1 * x - y
        temp0 = w0 - learning_rate * np.sum(err) / m
        temp1 = w1 - learning_rate * np.sum(err * x) / m
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
        w = w - learning_rate * X.T @ (X @ w - y) / len(y)
        path.append(w)
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        X_s = X[rng.permutation(m)]
        y_s = y[rng.permutation(m)]
        for i in range(m):
            w = w - learning_rate * X_s[i] * (X_s[i] @ w - y_s[i])
        path.append(w)
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        X_s = X[rng.permutation(m)]
        y_s = y[rng.permutation(m)]
        for k in range(0, m, batch_size):
            Xb, yb = X_s[k:k + batch_size], y_s[k:k + batch_size]
            w = w - learning_rate * Xb.T @ (Xb @ w - yb) / len(yb)
        path.append(w)
    return w, np.array(path)
