def numerical_derivative(f, x, h=1e-5):
    # h가 너무 작으면 반올림 오차가 커진다고 해서 1e-4로 고정함
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)
