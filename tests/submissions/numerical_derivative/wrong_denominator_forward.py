def numerical_derivative(f, x, h=1e-5):
    # 중앙차분 공식을 전진차분에 섞어 씀 (분모 2h)
    return (f(x + h) - f(x)) / (2 * h)
