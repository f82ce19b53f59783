# 메모리 아끼려고 in-place 연산 사용
import numpy as np


def gradient_step(x, grad, learning_rate):
    x -= learning_rate * grad
    return x


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0
    path = []
    for epoch in range(n_epochs):
        grad = X.T @ (X @ w - y) / m
        w -= learning_rate * grad  # w0 배열 자체가 바뀜
        path.append(w.copy())
    return w, np.array(path)
