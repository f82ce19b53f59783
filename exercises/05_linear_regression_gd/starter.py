import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    """단순회귀 h(x) = w0 + w1*x를 경사하강법으로 학습합니다.

    x, y: 길이 m인 1차원 float 배열
    w0, w1: 시작 값 (int일 수도 있음)
    learning_rate: 학습률, n_iter: 반복 횟수
    비용함수 J = 1/(2m) * sum((h(x_i) - y_i)**2)의 편미분을 같은 (w0, w1)에서 계산하고
    temp0, temp1처럼 두 값을 동시에 갱신합니다.
    반환값: (w0, w1)

    Fit the simple regression h(x) = w0 + w1*x by gradient descent.

    x, y: 1-D float arrays of length m
    w0, w1: starting values (possibly ints)
    learning_rate: the learning rate, n_iter: the number of iterations
    Compute both partial derivatives of J = 1/(2m) * sum((h(x_i) - y_i)**2) at the
    same (w0, w1) and update both simultaneously, as temp0 and temp1 do.
    Returns (w0, w1).
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
