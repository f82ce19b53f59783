def numerical_derivative(f, x, h=1e-5):
    # 후방차분: x에서 뒤로 h만큼
    fx = f(x)
    fx_before = f(x - h)
    return (fx - fx_before) / h
