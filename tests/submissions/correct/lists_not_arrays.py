# numpy 배열 대신 파이썬 리스트로 결과를 돌려줘도 된다고 해서 리스트로 반환함
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    result = []
    for j in range(len(x)):
        xp = np.array(x, dtype=float)
        xm = np.array(x, dtype=float)
        xp[j] += h
        xm[j] -= h
        result.append((f(xp) - f(xm)) / (2 * h))
    return result  # 리스트


def gradient_step(x, grad, learning_rate):
    if np.ndim(x) == 0:
        return x - learning_rate * grad
    return (np.asarray(x) - learning_rate * np.asarray(grad)).tolist()


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for _ in range(max_iter):
        x = x - learning_rate * fp(x)
        paths.append(np.asarray(x).tolist())
    return np.asarray(x).tolist(), float(f(x)), paths  # paths도 리스트 그대로


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    xs = list(x)
    ys = list(y)
    m = len(xs)
    for _ in range(n_iter):
        errors = [w0 + w1 * xi - yi for xi, yi in zip(xs, ys)]
        g0 = sum(errors) / m
        g1 = sum([e * xi for e, xi in zip(errors, xs)]) / m
        w0, w1 = w0 - learning_rate * g0, w1 - learning_rate * g1
    return w0, w1


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.asarray(x0, dtype=float)
    v = np.zeros_like(x)
    paths = []
    for _ in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x.tolist())
    return paths


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_epochs):
        w = w - learning_rate * (X.T @ (X @ w - y)) / len(y)
        path.append(w.tolist())
    return w.tolist(), path


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_epochs):
        for i in rng.permutation(len(y)):
            w = w - learning_rate * (X[i] @ w - y[i]) * X[i]
        path.append(w.tolist())
    return w.tolist(), path


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    w = np.array(w0, dtype=float)
    m = len(y)
    path = []
    for _ in range(n_epochs):
        order = rng.permutation(m).tolist()
        batches = [order[k:k + batch_size] for k in range(0, m, batch_size)]
        for b in batches:
            Xb, yb = X[b], y[b]
            w = w - learning_rate * Xb.T @ (Xb @ w - yb) / len(b)
        path.append(w.tolist())
    return w.tolist(), path
