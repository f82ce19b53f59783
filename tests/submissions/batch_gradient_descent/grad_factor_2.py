import numpy as np


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        grad = np.zeros_like(w)
        for i in range(m):
            grad += 2 * X[i] * (X[i] @ w - y[i])
        w = w - learning_rate * grad / m
        path.append(w)
    return w, np.array(path)
