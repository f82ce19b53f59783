import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    order = rng.permutation(m)  # 처음에 한 번 섞기
    X_shuffled = X[order]
    y_shuffled = y[order]
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in range(m):
            xi = X_shuffled[i]
            w = w - learning_rate * xi * (xi @ w - y_shuffled[i])
        path.append(w)
    return w, np.array(path)
