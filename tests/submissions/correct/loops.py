# 경사하강법 실습 과제
# numpy는 배열 만들 때만 쓰고 나머지는 전부 for문으로 구현해 봤습니다.
import numpy as np


def numerical_derivative(f, x, h=1e-5):
    # 중앙차분 (f(x+h) - f(x-h)) / 2h
    # 전진차분보다 오차가 작다고 배워서 중앙차분으로 함
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    # 편미분: 한 번에 한 좌표만 h만큼 움직인다
    grad = np.zeros(len(x))
    for i in range(len(x)):
        x_plus = x.copy()
        x_minus = x.copy()
        x_plus[i] = x_plus[i] + h
        x_minus[i] = x_minus[i] - h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad


def gradient_step(x, grad, learning_rate):
    # x_{i+1} = x_i - η * 기울기
    new_x = x - learning_rate * grad
    return new_x


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        x = x - learning_rate * fp(x)  # 기울기 반대 방향으로 이동
        paths.append(x)
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for it in range(n_iter):
        sum0 = 0.0
        sum1 = 0.0
        for i in range(m):
            error = (w0 + w1 * x[i]) - y[i]  # h(x_i) - y_i
            sum0 = sum0 + error
            sum1 = sum1 + error * x[i]
        # temp0, temp1 에 먼저 저장하고 동시에 업데이트
        temp0 = w0 - learning_rate * (sum0 / m)
        temp1 = w1 - learning_rate * (sum1 / m)
        w0 = temp0
        w1 = temp1
    return w0, w1


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0  # 처음 속도는 0
    paths = []
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
    return np.array(paths)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m, d = X.shape
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        # 모든 샘플의 기울기를 더해서 평균
        grad = np.zeros(d)
        for i in range(m):
            grad = grad + X[i] * (X[i] @ w - y[i])
        grad = grad / m
        w = w - learning_rate * grad
        path.append(w.copy())
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        idx = np.arange(m)
        rng.shuffle(idx)  # 매 epoch마다 순서를 섞는다
        for i in idx:
            g = X[i] * (X[i] @ w - y[i])  # 샘플 하나의 기울기
            w = w - learning_rate * g
        path.append(w.copy())
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]  # 마지막 배치는 작을 수 있음
            grad = np.zeros(len(w))
            for i in batch:
                grad = grad + X[i] * (X[i] @ w - y[i])
            grad = grad / len(batch)
            w = w - learning_rate * grad
        path.append(w.copy())
    return w, np.array(path)
