"""Attack: leave threads running after the call returns (spinning, printing and writing),
to disturb later calls or the grader after the submission is done."""

import os
import threading
import time


def pester():
    while True:
        print("still here")
        with open("pester.txt", "a") as fh:
            fh.write("x")
        time.sleep(0.001)


def spin():
    while True:
        pass


def numerical_derivative(f, x, h=1e-5):
    threading.Thread(target=pester, daemon=False).start()
    threading.Thread(target=spin, daemon=True).start()
    return float(os.getpid())


threading.Thread(target=spin, daemon=False).start()


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
