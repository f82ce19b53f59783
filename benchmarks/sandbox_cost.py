"""Measure what isolation costs: `python -m benchmarks.sandbox_cost [-n 50]`.

Prints median wall times (ms) of: a fresh interpreter importing numpy (what a design
without a zygote pays per submission), the zygote's start (paid once per Sandbox), and
whole submissions through a warm Sandbox, with one exercise and with all nine. Numbers
go into docs/sandbox.md; run it on an idle machine, they are noisy on a busy one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from gdgrade.contract import SIGNATURES
from gdgrade.function_specs import FunctionSpec
from gdgrade.json_values import RngSpec
from gdgrade.sandbox.driver import SubmissionDriver
from gdgrade.sandbox.host import Sandbox
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.process import RawOutput, SubmissionProcess
from gdgrade.sandbox.zygote_client import zygote_environment, zygote_path
from gdgrade.submission import load_submission

TRIVIAL = "def {name}(*args):\n    return 0.0\n"


def sample_args(name: str) -> tuple[Any, ...]:
    f = FunctionSpec(("x**2",), 0, "scalar").with_source()
    x = np.array([1.0, 2.0])
    data = (np.eye(3, 2), np.ones(3), np.zeros(2), 0.1, 2)
    table: dict[str, tuple[Any, ...]] = {
        "numerical_derivative": (f, 1.0, 1e-5),
        "numerical_gradient": (FunctionSpec(("x0**2 + x1",), 2).with_source(), x, 1e-5),
        "gradient_step": (x, x, 0.1),
        "gradient_descent": (f, f.derivative().with_source(), 4, 0.1, 20),
        "linear_regression_gd": (x, x, 0.0, 0.0, 0.1, 10),
        "momentum_descent": (f.derivative().with_source(), 4.0, 0.1, 0.9, 10),
        "batch_gradient_descent": data,
        "sgd": (*data, RngSpec(0)),
        "minibatch_gd": (*data, 2, RngSpec(0)),
    }
    return table[name]


def median_ms(action: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def fresh_interpreter(n: int) -> float:
    code = f"import sys; sys.path[:0] = {zygote_path()!r}; import numpy, numpy.random"
    command = [sys.executable, "-I", "-S", "-c", code]
    env = zygote_environment()
    return median_ms(lambda: subprocess.run(command, env=env, check=True), n)


def isolated_process(sandbox: Sandbox, n: int) -> float:
    """clone from the zygote + every isolation layer, until the child says it is
    confined, then SIGKILL and wait for its death (namespace teardown included)."""
    zygote, limits = sandbox._zygote, sandbox.limits
    with tempfile.TemporaryDirectory() as workdir:  # the working directory of mode "none"
        if os.geteuid() == 0:
            os.chown(workdir, sandbox.uid, sandbox.uid)

        def once() -> None:
            process = SubmissionProcess(zygote, limits, workdir, RawOutput(0))
            SubmissionDriver._expect_ready(process)
            process.kill()
            process.forget()

        return median_ms(once, n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="submissions per measurement")
    parser.add_argument(
        "--isolation",
        choices=("auto", "root", "userns", "none"),
        default="auto",
        help="the isolation mode to measure (default: the strongest available)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp, "one.py")
        one.write_text(TRIVIAL.format(name="gradient_step"))
        nine = Path(tmp, "nine.py")
        nine.write_text("".join(TRIVIAL.format(name=s.name) for s in SIGNATURES))
        calls_one = {"gradient_step": [sample_args("gradient_step")]}
        calls_nine = {s.name: [sample_args(s.name)] for s in SIGNATURES}
        started = time.perf_counter()
        with Sandbox(Limits(), isolation=args.isolation) as sandbox:
            mode = sandbox.mode
            zygote_ms = 1000 * (time.perf_counter() - started)
            sub_one, sub_nine = load_submission(one), load_submission(nine)
            sandbox.run(sub_one, calls_one)  # warm caches
            isolation_ms = isolated_process(sandbox, args.n)
            one_ms = median_ms(lambda: sandbox.run(sub_one, calls_one), args.n)
            nine_ms = median_ms(lambda: sandbox.run(sub_nine, calls_nine), args.n)
        fresh_ms = fresh_interpreter(max(5, args.n // 5))
    load = os.getloadavg()[0]
    print(f"isolation mode: {mode}; {os.cpu_count()} CPUs; load average {load:.2f}")
    print(f"fresh interpreter + numpy (per submission without a zygote): {fresh_ms:7.1f} ms")
    print(f"zygote start (once per Sandbox):                            {zygote_ms:7.1f} ms")
    print(f"fork + isolation, until confined, then killed (median):     {isolation_ms:7.1f} ms")
    print(f"submission, 1 exercise x 1 call (median of {args.n}):          {one_ms:7.1f} ms")
    print(f"submission, 9 exercises x 1 call (median of {args.n}):         {nine_ms:7.1f} ms")


if __name__ == "__main__":
    main()
