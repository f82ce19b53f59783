"""Attack: look for expected values in memory: every object the garbage collector knows,
every frame up the stack (sys._getframe, inspect), every module's globals."""

import gc
import inspect
import sys

import numpy as np


def harvest(value, found):
    if type(value) is float:
        found.append(value)
    elif type(value) is np.ndarray and value.dtype.kind == "f" and value.size < 10_000:
        found.extend(float(v) for v in value.ravel())


def numerical_derivative(f, x, h=1e-5):
    found = []
    for obj in gc.get_objects():
        if obj is found:
            continue
        harvest(obj, found)
        if type(obj) is dict:
            for value in list(obj.values()):
                harvest(value, found)
        elif type(obj) in (list, tuple):
            for value in obj:
                harvest(value, found)
    frame = sys._getframe()
    while frame is not None:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            harvest(value, found)
        frame = frame.f_back
    for info in inspect.stack():
        for value in info.frame.f_locals.values():
            harvest(value, found)
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            harvest(value, found)
    unique = sorted({v for v in found if v == v})
    return unique[:200_000]


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
