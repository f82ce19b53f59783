import numpy as np


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        X_s, y_s = X[order], y[order]
        # 배치로 나눠서 기울기 평균 -> 전체 평균과 같으니까 한 번에 계산
        grad = X_s.T @ (X_s @ w - y_s) / m
        w = w - learning_rate * grad
        path.append(w)
    return w, np.array(path)
