import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for idx in range(x.size):
        tmp_val = x[idx]
        x_plus = x.copy()
        x_plus[idx] = tmp_val + h
        x_minus = x.copy()
        x_minus[idx] = tmp_val - h
        grad[idx] = (f(x_plus) - f(x_minus)) / (2 * h)
        return grad  # 들여쓰기 실수: 첫 번째 좌표만 계산하고 반환
