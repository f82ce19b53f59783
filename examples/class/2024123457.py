"""과제 3: 경사하강법 (이서연, 2024123457)

numpy 행렬 연산으로 작성. 기울기는 모두 X.T @ (Xw - y) / m 형태.
"""
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    E = h * np.eye(len(x))
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in E])


def gradient_step(x, grad, learning_rate):
    return np.asarray(x, dtype=float) - learning_rate * np.asarray(grad, dtype=float)


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = float(x0)
    paths = np.empty(max_iter)
    for k in range(max_iter):
        x = x - learning_rate * fp(x)
        paths[k] = x
    return x, f(x), paths


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    X = np.column_stack([np.ones(len(x)), x])
    w = np.array([w0, w1], dtype=float)
    for _ in range(n_iter):
        w = w - learning_rate * X.T @ (X @ w - y) / len(y)
    return w[0], w[1]


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    out = []
    for _ in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        out.append(x)
    return np.array(out).reshape((n_iter,) + x.shape)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    w = np.array(w0, dtype=float)
    path = np.empty((n_epochs, len(w)))
    for t in range(n_epochs):
        w = w - learning_rate * X.T @ (X @ w - y) / len(y)
        path[t] = w
    return w, path


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = np.array(w0, dtype=float)
    path = np.empty((n_epochs, len(w)))
    for t in range(n_epochs):
        idx = np.arange(m)
        rng.shuffle(idx)
        for i in idx:
            w = w - learning_rate * (X[i] @ w - y[i]) * X[i]
        path[t] = w
    return w, path


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = np.array(w0, dtype=float)
    path = np.empty((n_epochs, len(w)))
    for t in range(n_epochs):
        idx = rng.permutation(m)
        for b in np.array_split(idx, range(batch_size, m, batch_size)):
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        path[t] = w
    return w, path
