# 극한 Δx -> 0 이니까 h를 최대한 작게 하면 더 정확하겠지?
def numerical_derivative(f, x, h=1e-5):
    dx = 1e-15
    return (f(x + dx) - f(x)) / dx
