import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    n_batches = max(m // batch_size, 1)
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for b in np.array_split(order, n_batches):  # 비슷한 크기의 배치로 나눔
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        path.append(w)
    return w, np.array(path)
