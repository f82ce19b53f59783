import numpy as np


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for step in range(m):
            i = rng.integers(m)  # 무작위로 샘플 하나 뽑기
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w.copy())
    return w, np.array(path)
