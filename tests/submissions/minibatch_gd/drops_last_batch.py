import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    n_batches = m // batch_size  # 배치 개수
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for b in range(n_batches):
            batch = order[b * batch_size:(b + 1) * batch_size]
            grad = X[batch].T @ (X[batch] @ w - y[batch]) / batch_size
            w = w - learning_rate * grad
        path.append(w)
    return w, np.array(path)
