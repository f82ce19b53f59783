import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def sgd(X, y, w0, learning_rate, n_epochs, rng):
    """확률적 경사하강법 (배치 크기 1).

    X: (m, d) 배열, y: (m,) 배열, w0: (d,) 시작 가중치 (셋 다 바꾸면 안 됨)
    샘플 i의 기울기 g_i(w) = x_i * (x_i . w - y_i)
    매 에포크: order = rng.permutation(m)  (에포크마다 한 번, rng에서 다른 것은 뽑지 않음)
               order의 각 i에 대해 w <- w - learning_rate * g_i(w)
    반환값: (w, path) — 마지막 가중치 (d,)와 에포크마다의 가중치 (n_epochs, d)

    Stochastic gradient descent (batch size 1).

    X: (m, d) array, y: (m,) array, w0: (d,) starting weights (do not modify any)
    Gradient of sample i: g_i(w) = x_i * (x_i . w - y_i)
    Each epoch: order = rng.permutation(m)  (once per epoch; draw nothing else from rng)
                for each i in order: w <- w - learning_rate * g_i(w)
    Returns (w, path): the final weights (d,) and the weights after each epoch
    (n_epochs, d).
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
