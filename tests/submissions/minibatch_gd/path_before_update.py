import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = X.shape[0]
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        path.append(w.copy())  # epoch 시작할 때의 가중치 기록
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            b = order[start:start + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
    return w, np.array(path)
