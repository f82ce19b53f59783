# 미분의 정의 그대로 (전진차분)
# f'(a) = lim (f(a + Δx) - f(a)) / Δx


def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
