# 공통으로 쓰는 기울기 함수를 따로 빼서 재사용함
import numpy as np


def mse_gradient(Xb, yb, w):
    """배치 (Xb, yb)에서 L(w) = 1/(2|B|) * ||Xb w - yb||^2 의 기울기."""
    residual = Xb @ w - yb
    return Xb.T @ residual / len(yb)


def numerical_derivative(f, x, h=1e-5):
    # 처음 버전 (틀림: 2h로 나눔) -> 아래에 다시 작성
    return (f(x + h) - f(x)) / (2 * h)


def numerical_derivative(f, x, h=1e-5):  # 수정본
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, x, h=1e-5):
    return np.array([numerical_derivative(lambda t: f(replace(x, j, t)), x[j], h)
                     for j in range(len(x))])


def replace(x, j, value):
    """x의 j번째 좌표만 value로 바꾼 복사본."""
    x_new = np.array(x, dtype=float)
    x_new[j] = value
    return x_new


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    # 첫 버전: paths 없이 마지막 값만 -> 과제 조건에 안 맞아서 아래에서 다시 정의
    x = x0
    for _ in range(max_iter):
        x = gradient_step(x, fp(x), learning_rate)
    return x, f(x)


def gradient_descent(f, fp, x0, learning_rate, max_iter):  # 다시 정의 (이게 최종)
    x = x0
    paths = []
    for _ in range(max_iter):
        x = gradient_step(x, fp(x), learning_rate)
        paths.append(x)
    return x, f(x), np.array(paths)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    X = np.column_stack([np.ones_like(x), x])
    w = np.array([w0, w1], dtype=float)
    for _ in range(n_iter):
        w = gradient_step(w, mse_gradient(X, y, w), learning_rate)
    return float(w[0]), float(w[1])


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = np.array(x0, dtype=float)
    v = np.zeros_like(x)
    paths = []
    for _ in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append(x)
    return np.array(paths)


def run_epochs(X, y, w0, learning_rate, n_epochs, batches_of_epoch):
    """batches_of_epoch() 가 돌려주는 인덱스 배치마다 한 번씩 업데이트."""
    w = np.array(w0, dtype=float)
    path = []
    for _ in range(n_epochs):
        for b in batches_of_epoch():
            w = gradient_step(w, mse_gradient(X[b], y[b], w), learning_rate)
        path.append(w)
    return w, np.array(path)


def make_batches(order, batch_size):
    return [order[k:k + batch_size] for k in range(0, len(order), batch_size)]


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    everything = np.arange(len(y))
    return run_epochs(X, y, w0, learning_rate, n_epochs, lambda: [everything])


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    m = len(y)
    return run_epochs(X, y, w0, learning_rate, n_epochs, lambda: make_batches(rng.permutation(m), 1))


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    m = len(y)
    return run_epochs(X, y, w0, learning_rate, n_epochs,
                      lambda: make_batches(rng.permutation(m), batch_size))
