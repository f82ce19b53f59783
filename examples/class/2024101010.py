# 2024101010 박지호
# 강의 예제 코드 참고해서 작성
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    # f'(a) = lim (f(a + Δx) - f(a)) / Δx
    return (f(x + h) - f(x)) / h


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = tmp_val + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val  # 값 복원
    return grad


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []  # 비어 있는 list

    print("{0:02d} : {1:5.5f}, {2:6.5f}".format(0, x0, f(x0)))

    for i in range(max_iter):
        x1 = x0 - learning_rate * fp(x0)
        # x를 학습률로 지정한 거리만큼 이동
        print('{0:02d} : {1:5.5f}, {2:6.5f}'.format(i + 1, x1, f(x1)))

        # x0에 x1의 값을 대입해주며 갱신해주고, 다시 반복
        x0 = x1
        paths.append(x0)  # 최적값을 찾아가는 각 점을 모은 것
    return (x0, f(x0), np.array(paths))


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        temp0 = w0 - learning_rate * (1 / m) * np.sum((w0 + w1 * x) - y)
        temp1 = w1 - learning_rate * (1 / m) * np.sum(((w0 + w1 * x) - y) * x)
        w0 = temp0
        w1 = temp1
    return (w0, w1)


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    paths = []
    v = 0
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x0)
        x0 = x0 + v
        paths.append(x0)
    return np.array(paths)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0
    paths = []
    for epoch in range(n_epochs):
        # 모든 x^i에 대해 미분값 계산 후 평균
        grads = [X[i] * (X[i] @ w - y[i]) for i in range(m)]
        w = w - learning_rate * np.mean(grads, axis=0)
        paths.append(w)
    return (w, np.array(paths))


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0
    paths = []
    for epoch in range(n_epochs):
        for i in rng.permutation(m):  # x^i 순서를 섞음
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
        paths.append(w)
    return (w, np.array(paths))


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0
    paths = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for k in range(0, m, batch_size):
            b = order[k:k + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
        paths.append(w)
    return (w, np.array(paths))
