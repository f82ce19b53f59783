"""Attack: write forged frames straight into the sandbox's result channel (every open
descriptor is tried), then garbage, to confuse the trusted side's reader."""

import contextlib
import json
import os
import struct


def frame(message):
    data = json.dumps(message).encode()
    return struct.pack(">I", len(data)) + data


def numerical_derivative(f, x, h=1e-5):
    forged = frame({"t": "result", "i": 0, "status": "returned", "value": 123.0})
    forged += frame({"t": "result", "i": 1, "status": "returned", "value": {"function": {}}})
    for fd in range(3, 64):
        with contextlib.suppress(OSError):
            os.write(fd, forged + b"\xff\xff\xff\xffgarbage")
    return 123.0


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
