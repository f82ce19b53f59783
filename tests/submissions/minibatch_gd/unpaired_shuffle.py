import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        X_shuffled = X[rng.permutation(m)]
        y_shuffled = y[rng.permutation(m)]
        for k in range(0, m, batch_size):
            Xb = X_shuffled[k:k + batch_size]
            yb = y_shuffled[k:k + batch_size]
            w = w - learning_rate * Xb.T @ (Xb @ w - yb) / len(yb)
        path.append(w)
    return w, np.array(path)
