import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def minibatch_gd(X, y, w0, learning_rate, n_epochs, batch_size, rng):
    """미니배치 경사하강법.

    X: (m, d) 배열, y: (m,) 배열, w0: (d,) 시작 가중치 (셋 다 바꾸면 안 됨)
    샘플 i의 기울기 g_i(w) = x_i * (x_i . w - y_i)
    매 에포크: order = rng.permutation(m)  (에포크마다 한 번, rng에서 다른 것은 뽑지 않음)
               order를 앞에서부터 batch_size개씩 잘라 미니배치 B를 만들고
               (마지막의 작은 미니배치도 사용, batch_size > m이면 전체가 하나)
               각 B마다 w <- w - learning_rate * (B에 속한 g_i(w)의 평균)
    반환값: (w, path) — 마지막 가중치 (d,)와 에포크마다의 가중치 (n_epochs, d)

    Mini-batch gradient descent.

    X: (m, d) array, y: (m,) array, w0: (d,) starting weights (do not modify any)
    Gradient of sample i: g_i(w) = x_i * (x_i . w - y_i)
    Each epoch: order = rng.permutation(m)  (once per epoch; draw nothing else from rng)
                cut order from the front into mini-batches B of batch_size
                (keep a smaller last one; batch_size > m means one batch of all)
                for each B: w <- w - learning_rate * (mean of g_i(w) over B)
    Returns (w, path): the final weights (d,) and the weights after each epoch
    (n_epochs, d).
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
