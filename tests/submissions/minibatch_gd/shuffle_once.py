import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    idx = rng.permutation(m)  # 데이터 섞기
    X, y = X[idx], y[idx]
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for start in range(0, m, batch_size):
            Xb = X[start:start + batch_size]
            yb = y[start:start + batch_size]
            w = w - learning_rate * Xb.T @ (Xb @ w - yb) / len(yb)
        path.append(w)
    return w, np.array(path)
