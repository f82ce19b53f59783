import numpy as np


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0.copy()
    path = [w0.copy()]  # 초기값부터 기록
    for epoch in range(n_epochs):
        w = w - learning_rate * X.T @ (X @ w - y) / m
        path.append(w)
    return w, np.array(path)
