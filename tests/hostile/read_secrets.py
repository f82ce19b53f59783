"""Attack: read the reference solutions, the exercises and hidden data from disk, and
the grader's command line and environment through /proc."""

import os
from pathlib import Path

import gdgrade

SECRET_DIR = "__SENTINEL_DIR__"
HOST_PID = "__HOST_PID__"


def numerical_derivative(f, x, h=1e-5):
    repo = Path(gdgrade.__file__).resolve().parents[1]
    candidates = [
        repo / "reference" / "derivatives.py",
        repo / "reference" / "registry.py",
        repo / "grader" / "expected.py",
        repo / "exercises" / "01_numerical_derivative" / "public_cases.json",
        repo / "pyproject.toml",
        Path(SECRET_DIR) / "secret.txt",
        Path("/work/shared/CONTRACT.md"),
        Path(f"/proc/{HOST_PID}/cmdline"),
        Path(f"/proc/{HOST_PID}/environ"),
        Path("/etc/shadow"),
        Path("/root/.bash_history"),
    ]
    readable = []
    for path in candidates:
        try:
            path.read_bytes()
            readable.append(str(path))
        except OSError:
            pass
    for top in ("/", "/home", "/tmp", "/etc", "/root", "/work"):
        try:
            names = os.listdir(top)
        except OSError:
            continue
        readable += [f"{top}/{n}" for n in names if "reference" in n or "answer" in n]
    return readable


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
