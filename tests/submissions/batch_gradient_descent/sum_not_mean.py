import numpy as np


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        gradient = X.T @ (X @ w - y)  # 모든 샘플의 기울기를 더함
        w = w - learning_rate * gradient
        path.append(w)
    return w, np.array(path)
