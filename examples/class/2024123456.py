# 머신러닝 기초 과제 3 - 경사하강법
# 2024123456 김민준
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    # 중앙차분 사용 (전진차분보다 정확)
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(len(x))
    for i in range(len(x)):
        x_plus = x.copy()
        x_minus = x.copy()
        x_plus[i] += h
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
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
    for _ in range(n_iter):
        error = (w0 + w1 * x) - y
        temp0 = w0 - learning_rate * np.sum(error) / m
        temp1 = w1 - learning_rate * np.sum(error * x) / m
        w0 = temp0
        w1 = temp1
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
    m = len(y)
    w = w0.copy()
    path = []
    for _ in range(n_epochs):
        grad = np.zeros_like(w)
        for i in range(m):
            grad += X[i] * (X[i] @ w - y[i])
        w = w - learning_rate * grad / m
        path.append(w)
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for _ in range(n_epochs):
        for i in rng.permutation(m):
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w)
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for _ in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            b = order[start:start + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        path.append(w)
    return w, np.array(path)


if __name__ == "__main__":
    def f(x):
        return 0.5 * x**4 - 4 * x**3 + 10 * x**2 - 7 * x + 2

    def fp(x):
        return 2 * x**3 - 12 * x**2 + 20 * x - 7

    xopt, fopt, paths = gradient_descent(f, fp, 4, 0.1, 200)
    print("x0=4, lr=0.1 :", xopt, fopt)
    xopt, fopt, paths = gradient_descent(f, fp, 5, 0.1, 200)
    print("x0=5, lr=0.1 :", xopt, fopt)
