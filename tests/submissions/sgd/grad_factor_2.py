import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):
            error = X[i] @ w - y[i]
            w = w - learning_rate * 2 * error * X[i]  # (오차)^2 를 미분하면 2 * 오차
        path.append(w)
    return w, np.array(path)
