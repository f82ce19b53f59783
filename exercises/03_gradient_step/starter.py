import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def gradient_step(x, grad, learning_rate):
    """경사하강법의 갱신을 한 번 합니다: x_{i+1} = x_i - learning_rate * grad.

    x: 현재 위치 (실수 또는 numpy 배열)
    grad: 그 위치의 기울기 (x와 같은 모양)
    learning_rate: 학습률
    반환값: 새 위치 (실수이면 실수, 배열이면 새 배열). 입력은 바꾸지 않습니다.

    Make one gradient descent update: x_{i+1} = x_i - learning_rate * grad.

    x: the current point (a number or a numpy array)
    grad: the gradient there (same shape as x)
    learning_rate: the learning rate
    Returns the new point (a number for numbers, a new array for arrays).
    The inputs are not modified.
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
