import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    """모멘텀(관성)을 더한 경사하강법.

    v는 0에서 시작하고, 매 반복마다
        v <- momentum * v - learning_rate * fp(x)
        x <- x + v
    fp: 기울기 함수, x0: 시작점 (실수 또는 1차원 배열, 바꾸면 안 됨)
    learning_rate: 학습률, momentum: 관성 계수, n_iter: 반복 횟수
    반환값: 경로 x_1 ... x_n_iter를 담은 numpy 배열 (시작점 제외, 길이 n_iter)

    Gradient descent with momentum.

    v starts at 0; each iteration
        v <- momentum * v - learning_rate * fp(x)
        x <- x + v
    fp: the gradient, x0: the start (a number or a 1-D array; do not modify it)
    learning_rate: the learning rate, momentum: the momentum coefficient,
    n_iter: the number of iterations
    Returns the path x_1 ... x_n_iter as a numpy array (no start point, length n_iter).
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
