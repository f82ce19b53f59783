def scaled_step(x, grad, learning_rate, scale):
    return x - learning_rate * scale * grad
