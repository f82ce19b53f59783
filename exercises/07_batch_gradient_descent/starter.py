import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def batch_gradient_descent(X, y, w0, learning_rate, n_epochs):
    """배치 경사하강법: 에포크마다 전체 평균 기울기로 한 번 업데이트합니다.

    X: (m, d) 배열, y: (m,) 배열, w0: (d,) 시작 가중치 (셋 다 바꾸면 안 됨)
    손실 L(w) = 1/(2m) * ||Xw - y||^2, 샘플 i의 기울기 g_i(w) = x_i * (x_i . w - y_i)
    매 에포크: w <- w - learning_rate * (g_i(w)의 평균)
    반환값: (w, path) — 마지막 가중치 (d,)와 에포크마다의 가중치 (n_epochs, d)

    Batch gradient descent: one update per epoch with the mean gradient of all samples.

    X: (m, d) array, y: (m,) array, w0: (d,) starting weights (do not modify any)
    Loss L(w) = 1/(2m) * ||Xw - y||^2, gradient of sample i g_i(w) = x_i * (x_i . w - y_i)
    Each epoch: w <- w - learning_rate * (mean of g_i(w))
    Returns (w, path): the final weights (d,) and the weights after each epoch
    (n_epochs, d).
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
