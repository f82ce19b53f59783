import numpy as np


def numerical_derivative(f, x, h=1e-5):
    """중앙차분으로 미분값을 근사한다. 오차가 h^2에 비례해서 전진차분보다 정확함."""
    left = f(x - h)
    right = f(x + h)
    slope = (right - left) / (2 * h)
    return slope


if __name__ == "__main__":
    print(numerical_derivative(np.sin, 0.0))  # cos(0) = 1 이 나와야 함
