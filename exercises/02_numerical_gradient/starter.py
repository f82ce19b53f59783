import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def numerical_gradient(f, x, h=1e-5):
    """좌표마다 차분을 구해 f의 기울기(편미분 벡터)를 근사합니다.

    f: 1차원 배열을 받아 실수 하나를 돌려주는 함수
    x: 1차원 float 배열 (바꾸면 안 됨: 복사본을 쓰세요)
    h: 차분 간격 (주어진 값을 그대로 사용)
    반환값: x와 모양이 같은 배열. j번째 원소는 x_j만 h만큼 움직여 구한 df/dx_j.

    Approximate the gradient of f (the vector of partial derivatives).

    f: a function of a 1-D array returning one real number
    x: a 1-D float array (do not modify it: work on a copy)
    h: the step (use the given value)
    Returns an array shaped like x; entry j is df/dx_j, found by moving x_j alone by h.
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
