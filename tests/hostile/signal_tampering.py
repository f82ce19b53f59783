"""Attack: ignore or block every catchable signal a runner could use to stop the call
(SIGALRM, SIGTERM, SIGINT, SIGXCPU, SIGHUP), then never return."""

import signal


def numerical_derivative(f, x, h=1e-5):
    for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT, signal.SIGXCPU, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    signal.setitimer(signal.ITIMER_REAL, 0)
    while x > 0:
        pass
    return x


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
