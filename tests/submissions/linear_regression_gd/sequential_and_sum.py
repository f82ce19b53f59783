def linear_regression_gd(x, y, w0, w1, learning_rate, n_iter):
    for _ in range(n_iter):
        w0 = w0 - learning_rate * sum(w0 + w1 * xi - yi for xi, yi in zip(x, y))
        w1 = w1 - learning_rate * sum((w0 + w1 * xi - yi) * xi for xi, yi in zip(x, y))
    return w0, w1
