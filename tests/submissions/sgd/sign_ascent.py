import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):
            error = y[i] - X[i] @ w  # 오차 = 정답 - 예측
            w = w - learning_rate * error * X[i]
        path.append(w)
    return w, np.array(path)
