def numerical_derivative(f, x, h=1e-5):
    # 양쪽으로 h씩 움직여서 기울기 계산
    return (f(x + h) - f(x - h)) / h
