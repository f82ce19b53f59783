# 2024177777 정현우
# 과정을 눈으로 확인하려고 print를 많이 넣었습니다
import numpy as np

print("과제 3 시작!!")


def numerical_derivative(f, x, h=1e-5):
    result = (f(x + h) - f(x - h)) / (2 * h)
    print("[numerical_derivative] x =", x, "h =", h, "->", result)
    return result


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(len(x)):
        e = np.zeros_like(x, dtype=float)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
        print("[numerical_gradient]", i, "번째 편미분:", grad[i])
    return grad


def gradient_step(x, grad, learning_rate):
    new_x = x - learning_rate * grad
    print("[gradient_step]", x, "->", new_x)
    return new_x


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    for i in range(max_iter):
        x = x - learning_rate * fp(x)
        paths.append(x)
        print(f"[gradient_descent] {i + 1}번째: x = {x}, f(x) = {f(x)}")
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    for i in range(n_iter):
        err = w0 + w1 * x - y
        cost = np.sum(err ** 2) / (2 * m)
        w0, w1 = w0 - learning_rate * np.mean(err), w1 - learning_rate * np.mean(err * x)
        print(f"[linear_regression_gd] iter {i}: cost = {cost}, w0 = {w0}, w1 = {w1}")
    return w0, w1


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    paths = []
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
        print("[momentum]", i, "x:", x, "v:", v)
    return np.array(paths)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        grad = X.T @ (X @ w - y) / m
        w = w - learning_rate * grad
        path.append(w)
        print("[batch] epoch", epoch, "grad", grad, "w", w, "loss", np.sum((X @ w - y) ** 2) / (2 * m))
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        print("[sgd] epoch", epoch, "order", order)
        for i in order:
            w = w - learning_rate * X[i] * (X[i] @ w - y[i])
            print("[sgd]    i =", i, "w =", w)
        path.append(w)
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for s in range(0, m, batch_size):
            b = order[s:s + batch_size]
            w = w - learning_rate * X[b].T @ (X[b] @ w - y[b]) / len(b)
            print("[minibatch] epoch", epoch, "batch", b, "w", w)
        path.append(w)
    return w, np.array(path)


print("함수 정의 완료!!")
