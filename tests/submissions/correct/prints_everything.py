# 과제 제출합니다. 중간 값들을 다 출력해서 확인하면서 짰습니다 (디버깅용 print 안 지움)
import numpy as np

print("=== 경사하강법 과제 시작 ===")


def numerical_derivative(f, x, h=1e-5):
    fx = f(x)
    fx_minus = f(x - h)
    print("f(x) =", fx, " f(x-h) =", fx_minus)
    d = (fx - fx_minus) / h  # 후방차분
    print("미분값:", d)
    return d


def numerical_gradient(f, x, h=1e-5):
    print("x =", x)
    fx = f(x)
    grad = np.zeros(x.shape)
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = h
        grad[j] = (fx - f(x - e)) / h
        print(f"  편미분 {j}번째 = {grad[j]}")
    print("gradient =", grad)
    return grad


def gradient_step(x, grad, learning_rate):
    print("이전 x:", x, "기울기:", grad, "학습률:", learning_rate)
    new_x = x - learning_rate * grad
    print("새 x:", new_x)
    return new_x


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    x = x0
    paths = []
    print("시작점", x0, "f =", f(x0))
    for i in range(max_iter):
        g = fp(x)
        x = x - learning_rate * g
        paths.append(x)
        print("반복", i + 1, "x =", x, "f(x) =", f(x), "기울기 =", g)
    print("최종 x =", x)
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    m = len(x)
    print("데이터 개수:", m)
    for i in range(n_iter):
        pred = w0 + w1 * x
        err = pred - y
        cost = np.sum(err ** 2) / (2 * m)
        d0 = np.sum(err) / m
        d1 = np.sum(err * x) / m
        w0, w1 = w0 - learning_rate * d0, w1 - learning_rate * d1  # 동시에 업데이트
        print(f"iter {i}: cost={cost:.6f}, w0={w0:.6f}, w1={w1:.6f}")
    return w0, w1


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0.0
    paths = []
    for i in range(n_iter):
        g = fp(x)
        v = momentum * v - learning_rate * g
        x = x + v
        print("step", i, "| x:", x, "| v:", v, "| grad:", g)
        paths.append(x)
    return np.array(paths)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    m = X.shape[0]
    w = w0.copy()
    path = []
    print("X shape:", X.shape, "y shape:", y.shape)
    for epoch in range(n_epochs):
        grad = X.T @ (X @ w - y) / m
        w = w - learning_rate * grad
        loss = np.sum((X @ w - y) ** 2) / (2 * m)
        print("epoch", epoch, "loss", loss, "w", w)
        path.append(w)
    return w, np.array(path)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = X.shape[0]
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        print("epoch", epoch, "순서:", order)
        for i in order:
            g = X[i] * (X[i] @ w - y[i])
            w = w - learning_rate * g
            print("   sample", i, "grad", g, "w", w)
        path.append(w)
    return w, np.array(path)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = X.shape[0]
    w = w0.copy()
    path = []
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        print("epoch", epoch)
        for s in range(0, m, batch_size):
            idx = order[s:s + batch_size]
            g = X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
            w = w - learning_rate * g
            print("   batch", idx, "크기", len(idx), "w", w)
        path.append(w)
    return w, np.array(path)


print("=== 함수 정의 끝 ===")
