import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        X_s = X[rng.permutation(m)]  # X 섞기
        y_s = y[rng.permutation(m)]  # y 섞기
        for i in range(m):
            w = w - learning_rate * X_s[i] * (X_s[i] @ w - y_s[i])
        path.append(w)
    return w, np.array(path)
