"""경사하강법 과제 3 - numpy 벡터 연산 버전.

for문을 최대한 줄이고 행렬 연산(X.T @ (Xw - y) / m)으로 기울기를 계산했다.
"""
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    # 중앙차분이 O(h^2) 이라서 더 정확
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    steps = np.eye(x.size) * h  # 각 행이 h * e_j
    return np.array([f(x + e) - f(x - e) for e in steps]) / (2 * h)


def gradient_step(x, grad, learning_rate):
    return np.subtract(x, np.multiply(learning_rate, grad))


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = np.asarray(x0, dtype=float)  # int로 들어와도 float로
    paths = np.zeros((max_iter,) + x.shape)
    for i in range(max_iter):
        x = x - learning_rate * fp(x)
        paths[i] = x
    return x, f(x), paths


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    X = np.c_[np.ones(m), x]  # 절편용 1 컬럼 추가
    w = np.array([w0, w1], dtype=float)
    for _ in range(n_iter):
        grad = X.T @ (X @ w - y) / m  # [dJ/dw0, dJ/dw1] 를 한 번에 (동시 업데이트)
        w = w - learning_rate * grad
    return w[0], w[1]


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.asarray(x0, dtype=float)
    v = np.zeros_like(x)
    paths = np.zeros((n_iter,) + x.shape)
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths[i] = x
    return paths


def _gradient(X, y, w):
    return X.T @ (X @ w - y) / len(y)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    w = np.array(w0, dtype=float)
    path = np.zeros((n_epochs, w.size))
    for epoch in range(n_epochs):
        w = w - learning_rate * _gradient(X, y, w)
        path[epoch] = w
    return w, path


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    return minibatch_gd(X, y, w0, learning_rate, n_epochs, 1, rng)  # SGD = 배치 크기 1


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = X.shape[0]
    w = np.array(w0, dtype=float)
    path = np.zeros((n_epochs, w.size))
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for batch in np.array_split(order, np.arange(batch_size, m, batch_size)):
            w = w - learning_rate * _gradient(X[batch], y[batch], w)
        path[epoch] = w
    return w, path
