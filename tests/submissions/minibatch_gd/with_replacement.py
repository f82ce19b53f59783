import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = np.array(w0, dtype=float)
    path = np.zeros((n_epochs, len(w)))
    for epoch in range(n_epochs):
        idx = rng.choice(m, size=m)  # m개를 무작위로 뽑음
        for batch in np.array_split(idx, np.arange(batch_size, m, batch_size)):
            grad = X[batch].T.dot(X[batch].dot(w) - y[batch]) / len(batch)
            w = w - learning_rate * grad
        path[epoch] = w
    return w, path
