import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)  # 순서 섞기
        X_s, y_s = X[order], y[order]
        grad = X_s.T @ (X_s @ w - y_s) / m
        w = w - learning_rate * grad
        path.append(w)
    return w, np.array(path)
