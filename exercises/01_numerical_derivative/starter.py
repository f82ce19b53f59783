import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def numerical_derivative(f, x, h=1e-5):
    """간격 h의 차분으로 f'(x)의 근삿값을 구합니다.

    f: 실수 하나를 받아 실수 하나를 돌려주는 함수
    x: 미분계수를 구할 점 (실수 하나, int일 수도 있음)
    h: 차분 간격 (주어진 값을 그대로 사용)
    반환값: f'(x)의 근삿값 (실수 하나). 중앙 차분 (f(x+h) - f(x-h)) / (2h) 권장.

    Approximate f'(x) by a finite difference with step h.

    f: a function of one real number returning one real number
    x: the point (one number, possibly an int)
    h: the step (use the given value)
    Returns one approximation of f'(x). The central difference
    (f(x+h) - f(x-h)) / (2h) is the most accurate.
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
