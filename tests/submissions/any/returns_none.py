# 결과를 출력으로 확인함
import numpy as np


def gradient_step(x, grad, learning_rate):
    x_new = x - learning_rate * grad
    print("새로운 x:", x_new)


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    for i in range(max_iter):
        x0 = x0 - learning_rate * fp(x0)
        paths.append(x0)
    print("xopt =", x0)
    print("fopt =", f(x0))
    print("paths =", np.array(paths))
