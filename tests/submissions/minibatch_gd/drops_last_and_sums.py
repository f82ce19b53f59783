import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for b in range(m // batch_size):  # 나머지는 버림
            batch = order[b * batch_size:(b + 1) * batch_size]
            w = w - learning_rate * X[batch].T @ (X[batch] @ w - y[batch])  # 합
        path.append(w)
    return w, np.array(path)
