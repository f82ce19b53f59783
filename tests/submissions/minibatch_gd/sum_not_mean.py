import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for k in range(0, m, batch_size):
            b = order[k:k + batch_size]
            grad = np.zeros_like(w)
            for i in b:
                grad += X[i] * (X[i] @ w - y[i])  # 배치 안 샘플들 기울기 합
            w = w - learning_rate * grad
        path.append(w)
    return w, np.array(path)
