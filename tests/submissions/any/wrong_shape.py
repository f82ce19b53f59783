# 경사하강법 - 최적값과 경로만 반환
import numpy as np


def gradient_descent(f, fp, x0, learning_rate, max_iter):
    paths = []
    for i in range(max_iter):
        x0 = x0 - learning_rate * fp(x0)
        paths.append(x0)
    return x0, np.array(paths)  # f(x0)는 필요할 때 계산하면 되니까 뺐음


def momentum_descent(fp, x0, learning_rate, momentum, n_iter):
    x = x0
    v = 0
    paths = []
    for i in range(n_iter):
        v = momentum * v - learning_rate * fp(x)
        x = x + v
        paths.append([x, v])  # 위치랑 속도를 같이 저장 (그래프 그리려고)
    return paths
