import numpy as np


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in range(m):
            grad_i = X[i] * (X[i] @ w - y[i])
            w = w - learning_rate * grad_i  # 샘플마다 바로 업데이트
        path.append(w)
    return w, np.array(path)
