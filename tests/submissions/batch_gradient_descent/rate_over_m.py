import numpy as np


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = X.shape[0]
    w = np.copy(w0)
    path = []
    for _ in range(n_epochs):
        grad = X.T.dot(X.dot(w) - y) / m
        w = w - (learning_rate / m) * grad  # m으로 한 번 더 나눔
        path.append(w.copy())
    return w, np.array(path)
