import numpy as np


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        grad = X.T @ (y - X @ w) / m
        w = w - learning_rate * grad
        path.append(w)
    return w, np.array(path)
