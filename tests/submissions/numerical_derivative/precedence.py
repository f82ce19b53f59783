def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / 2 * h  # 괄호 없이 2*h
