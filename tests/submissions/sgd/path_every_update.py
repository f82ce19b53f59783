import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
            path.append(w)  # 업데이트할 때마다 기록 (epoch마다가 아니라)
    return w, np.array(path)
