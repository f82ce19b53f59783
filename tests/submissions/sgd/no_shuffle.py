import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in range(m):  # 데이터 순서대로 하나씩
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w)
    return w, np.array(path)
