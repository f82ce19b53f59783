import numpy as np

np.random.seed(2024)  # 재현되도록 전역 시드 고정


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        for _ in range(m):
            i = np.random.randint(m)
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        path.append(w)
    return w, np.array(path)
