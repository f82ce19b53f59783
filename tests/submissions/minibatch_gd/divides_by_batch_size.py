import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for s in range(0, m, batch_size):
            b = order[s:s + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / batch_size
        path.append(w)
    return w, np.array(path)
