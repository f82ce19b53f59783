"""Counts expected-value computations in every process of a real `gdgrade batch` run.

Put this folder first on PYTHONPATH and set GDGRADE_BENCH_COUNT to a file: each call of
grader.expected.expect (the reference and every mistake variant on one case) appends
"pid exercise case_id" to it. The sandbox zygote starts with -I -S and never loads this.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys

TARGET = "grader.expected"


def _wrap(module: object, path: str) -> None:
    original = module.expect  # type: ignore[attr-defined]

    def expect(case):  # type: ignore[no-untyped-def]
        line = f"{os.getpid()} {case.exercise} {case.id}\n".encode()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return original(case)

    module.expect = expect  # type: ignore[attr-defined]


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module
        count_path = os.environ["GDGRADE_BENCH_COUNT"]

        def exec_module(module):  # type: ignore[no-untyped-def]
            original_exec(module)
            _wrap(module, count_path)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if os.environ.get("GDGRADE_BENCH_COUNT"):
    sys.meta_path.insert(0, _Finder())
