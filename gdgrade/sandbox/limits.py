"""The resource limits of one sandboxed submission, with their defaults and reasons.

Walls (`*_wall_s`) are enforced from outside by the trusted side (deadline + SIGKILL);
the others are kernel rlimits set inside the child before any student code runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Per-submission limits. Every value is configurable; defaults suit a course exercise."""

    call_wall_s: float = 5.0  # one call of a student function (the lecture's loops take ms)
    load_wall_s: float = 10.0  # all module-level code: imports, prints, demos, plots
    submission_wall_s: float = 60.0  # everything of one submission, retries included
    timeouts_per_exercise: int = 2  # after this many, a function's other calls are not run
    cpu_s: float = 30.0  # RLIMIT_CPU per process: a backstop behind the walls
    memory_mb: int = 1024  # RLIMIT_AS; Python + numpy alone map about 110 MB
    max_processes: int = 64  # RLIMIT_NPROC of the sandbox uid (threads count too)
    file_size_mb: int = 16  # RLIMIT_FSIZE, and the size of the private scratch tmpfs
    open_files: int = 128  # RLIMIT_NOFILE
    output_bytes: int = 64_000  # printed output kept per call and for the load step
    result_bytes: int = 16_000_000  # largest encoded return value accepted

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Limits.{f.name} must be a positive number, got {value!r}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})
