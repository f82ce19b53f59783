import numpy as np  # noqa: F401  (필요하면 사용하세요 / use it as needed)


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    """x0에서 시작해 x <- x - learning_rate * fp(x)를 max_iter번 반복합니다.

    f: 최소값을 찾을 함수, fp: f의 도함수
    x0: 시작점 (실수 하나, 4 같은 int일 수도 있음: 정수로 자르지 마세요)
    learning_rate: 학습률, max_iter: 갱신 횟수
    반환값: (x_opt, f_opt, paths)
        x_opt: 마지막 점, f_opt: f(x_opt),
        paths: 갱신 뒤의 점 x_1 ... x_max_iter를 담은 numpy 배열 (시작점 제외, 길이 max_iter)

    Starting at x0, apply x <- x - learning_rate * fp(x) max_iter times.

    f: the function to minimise, fp: its derivative
    x0: the start (one number, possibly an int such as 4: do not truncate)
    learning_rate: the learning rate, max_iter: the number of updates
    Returns (x_opt, f_opt, paths): the last point, f at it, and a numpy array of
    the points after each update x_1 ... x_max_iter (no start point, length max_iter).
    """
    # TODO: 여기에 구현하세요 / implement here
    raise NotImplementedError
