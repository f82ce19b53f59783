import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        idx = np.arange(m)
        rng.shuffle(idx)
        for s in range(0, m, batch_size):
            b = idx[s:s + batch_size]
            grad = 2 / len(b) * X[b].T @ (X[b] @ w - y[b])  # MSE 미분
            w -= learning_rate * grad
        path.append(w.copy())
    return w, np.array(path)
