import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    tol = 1e-8
    x = x0
    paths = []
    for i in range(max_iter):
        x_new = x - learning_rate * fp(x)
        paths.append(x_new)
        if abs(x_new - x) < tol:  # 거의 안 움직이면 수렴한 것으로 보고 멈춤
            print(i + 1, "번째에서 수렴")
            x = x_new
            break
        x = x_new
    return x, f(x), np.array(paths)
