# 경사하강법 + 그래프까지 함수 안에서 준비
import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    # 그래프를 부드럽게 그리려고 점을 아주 촘촘하게 찍음
    xs = np.linspace(-1, 5, 1000000000)
    ys = f(xs)
    paths = []
    x = x0
    for i in range(max_iter):
        x = x - learning_rate * fp(x)
        paths.append(x)
    print("그래프용 점", len(xs), "개, 최소", ys.min())
    return x, f(x), np.array(paths)
