"""The adversarial corpus (tests/hostile/, expected outcomes in manifest.json).

Every hostile file attacks `numerical_derivative` and also defines a correct
`gradient_step`. For each, the run must complete in bounded time, the attacked exercise
must get no value it did not compute, `gradient_step` must still be graded correctly,
no file outside the child's own directory may change, and (as root) no process of the
sandbox uid may survive.
"""

from __future__ import annotations

import json
import os
import socket
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdgrade.case import CallOutcome
from gdgrade.function_specs import FunctionSpec
from gdgrade.sandbox import Limits, Sandbox, SubmissionRun
from gdgrade.submission import SubmissionError, load_submission
from reference import REFERENCE

HOSTILE = Path(__file__).parent / "hostile"
MANIFEST: list[dict[str, Any]] = json.loads((HOSTILE / "manifest.json").read_text())
REPO = Path(__file__).resolve().parents[1]
LIMITS = Limits(
    call_wall_s=1.0,
    load_wall_s=1.0,
    submission_wall_s=20.0,
    memory_mb=512,
    max_processes=32,
    output_bytes=10_000,
    result_bytes=1_000_000,
)
F = FunctionSpec(("x**3 - 2*x",), 0, "scalar").with_source()
CALLS: dict[str, list[tuple[Any, ...]]] = {
    "numerical_derivative": [(F, 1.2345, 1e-5), (F, -0.75, 1e-4)],
    "gradient_step": [(np.array([1.0, -2.0, 0.5]), np.array([0.25, 0.5, -1.0]), 0.1)],
}
EXPECTED = {e: [REFERENCE[e](*args) for args in calls] for e, calls in CALLS.items()}
HOST_LEAKS = [
    Path("/tmp/gdgrade-hostile-results.json"),
    REPO / "gdgrade-hostile-results.json",
    REPO / "out" / "results.json",
    Path("/usr/lib/gdgrade-hostile"),
]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(LIMITS) as sb:
        if sb.mode == "none":
            pytest.skip("neither root nor user namespaces: only rlimits apply (docs/sandbox.md)")
        yield sb


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, socket.socket]]:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(5)
    tcp.setblocking(False)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", tcp.getsockname()[1]))
    udp.setblocking(False)
    yield tcp, udp
    tcp.close()
    udp.close()


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(directory)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mode)
        for p in sorted(directory.rglob("*"))
    }


def processes_of(uid: int) -> list[int]:
    """Live processes (zombies are dead, only not yet reaped by the zygote) of a uid."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                owner = os.stat(f"/proc/{entry}").st_uid
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if owner == uid and state not in ("Z", "X"):
                found.append(int(entry))
    return found


def is_expected(value: Any, expected: Any) -> bool:
    try:
        got = np.asarray(value, dtype=float)
        want = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-9, atol=1e-12))


OUT_DIR = "grader-out"  # stands for the directory the grader writes reports to
WALK_BUDGET_S = 0.5  # walk_for_secrets.py, per call (the call limit is 1 s)


def secret_needles() -> dict[str, bytes]:
    """What a file-system walk must not find: each expected value as the grader's
    directory stores it, and a line of the reference solution's source."""
    needles = {
        f"expected {k}": repr(float(v)).encode()
        for k, v in enumerate(EXPECTED["numerical_derivative"])
    }
    source = (REPO / "reference" / "derivatives.py").read_text().splitlines()
    needles["reference"] = max(source, key=len).strip().encode()
    return needles


def run_hostile(
    sandbox: Sandbox, tmp_path: Path, name: str, port: int
) -> tuple[SubmissionRun, float, dict[str, tuple[bytes, int]]]:
    """Run one hostile file; returns the run, its wall time and the snapshot of the
    grader's directory taken just before."""
    out_dir = tmp_path / OUT_DIR
    out_dir.mkdir()
    (out_dir / "sentinel.txt").write_text("owned by the grader")
    (out_dir / "secret.txt").write_text(json.dumps(EXPECTED["numerical_derivative"]))
    source = (HOSTILE / name).read_text()
    for key, value in {
        "__SENTINEL_DIR__": str(out_dir),
        "__PORT__": str(port),
        "__HOST_PID__": str(os.getpid()),
        "__ZYGOTE_PID__": str(sandbox.zygote_pid),
        "__NEEDLES__": json.dumps({k: v.hex() for k, v in secret_needles().items()}).encode().hex(),
        "__ROOTS__": json.dumps([str(out_dir), str(REPO)]).encode().hex(),
        "__BUDGET_S__": str(WALK_BUDGET_S),
    }.items():
        source = source.replace(key, value)
    path = tmp_path / name
    path.write_text(source)
    submission = load_submission(path)
    before = snapshot(out_dir)
    started = time.monotonic()
    run = sandbox.run(submission, CALLS)
    return run, time.monotonic() - started, before


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_hostile_submission_changes_nothing_but_its_own_outcome(
    entry: dict[str, Any],
    sandbox: Sandbox,
    tmp_path: Path,
    listener: tuple[socket.socket, socket.socket],
) -> None:
    tcp, udp = listener
    port = tcp.getsockname()[1]
    run, elapsed, before = run_hostile(sandbox, tmp_path, entry["file"], port)

    # bounded time: the load, every call at its wall, and a reload after a hard kill
    bound = LIMITS.load_wall_s + 3 * (LIMITS.call_wall_s + 0.5) + 3.0
    assert elapsed < bound, f"{entry['file']} took {elapsed:.1f} s"

    # the attacked exercise: the expected status, never the expected value
    outcomes = run.outcomes["numerical_derivative"]
    for k, (outcome, allowed) in enumerate(
        zip(outcomes, entry["numerical_derivative"], strict=True)
    ):
        assert outcome.status in allowed, f"call {k}: {outcome}"
        assert not is_expected(outcome.value, EXPECTED["numerical_derivative"][k])

    # the other exercise is unaffected
    (step,) = run.outcomes["gradient_step"]
    assert step.status == "returned", step
    np.testing.assert_array_equal(step.value, EXPECTED["gradient_step"][0])

    # nothing changed outside the child's own directory
    assert snapshot(tmp_path / OUT_DIR) == before
    assert not [p for p in HOST_LEAKS if p.exists()]
    with pytest.raises(BlockingIOError):
        tcp.accept()
    with pytest.raises(BlockingIOError):
        udp.recvfrom(100)
    if os.geteuid() == 0:
        assert processes_of(sandbox.uid) == []

    for check in entry["checks"]:
        CHECKS[check](run, outcomes)


def check_grader_not_importable(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    for name in ("reference", "grader", "grader.expected", "exercises"):
        assert f"{name} ModuleNotFoundError" in outcomes[0].stdout


def check_load_raised_systemexit(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    (problem,) = run.load.problems
    assert (problem.kind, problem.key, problem.params) == ("raised", "system_exit", {"code": "0"})
    assert problem.line == 11


def check_base_exception_types(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    assert [o.error_type for o in outcomes] == ["KeyboardInterrupt", "BaseException"]


def check_nothing_readable(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    assert outcomes[0].value == []


def check_not_in_memory(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    found = np.asarray(outcomes[0].value, dtype=float)
    assert found.size > 10  # it did find numbers (its inputs, numpy constants)
    for expected in EXPECTED["numerical_derivative"]:
        assert not np.isclose(found, expected, rtol=1e-9, atol=0).any()


def check_bounded_output(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    assert all(len(o.stdout) <= LIMITS.output_bytes + 200 for o in outcomes)
    assert len(run.load.stdout) <= LIMITS.output_bytes + 200
    assert len(run.load.raw_output) <= LIMITS.output_bytes + 200


def check_no_connection(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    report = outcomes[0].value
    assert not any("connected" in line or "resolved" in line for line in report), report


def check_nothing_killed(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    """Signals to pid 1 "succeed" but the kernel drops them (it is its namespace's init);
    the grader and the zygote are not even visible from inside."""
    report = outcomes[0].value
    outside = [line for line in report if line.split()[0] not in ("1", "-1")]
    assert outside and all(line.endswith("ProcessLookupError") for line in outside), report
    assert outcomes[1].status == "returned"  # its own process and pid 1 survived


def check_no_privilege(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    report = outcomes[0].value
    assert not any(line.endswith("done") for line in report), report


def check_bounded_error(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    assert outcomes[0].error_message == "<the message could not be printed>"
    assert len(outcomes[1].error_message) < 3000


def check_hidden_feedback_conceals_inputs(
    run: SubmissionRun, outcomes: tuple[CallOutcome, ...]
) -> None:
    """The trusted side sees the inputs in what the call printed, raised and how long it
    took; the report row of the same call as a hidden case carries none of it."""
    from gdgrade.compare import Comparison
    from gdgrade.report import CaseResult
    from gdgrade.report_json import row_json
    from gdgrade.visibility import Policy, rows

    for args, o in zip(CALLS["numerical_derivative"], outcomes, strict=True):
        x = args[1]
        spelled = repr(x).replace(".", "_").replace("-", "m")
        assert repr(x) in o.stdout and repr(x) in o.error_message and spelled in o.error_type
        case = CaseResult(
            f"hidden_x_{x}", "hidden", 1.0, ("probe",), {}, 0.0, o, Comparison("missing"), args, 0
        )
        (row,) = rows((case,), Policy(), "en")
        shown = json.dumps(row_json(row, (case,), "en"))
        for secret in (repr(x), spelled, f"{o.duration_s:.4f}"[:5], case.id, "probe"):
            assert secret not in shown, secret


def check_walk_found_nothing(run: SubmissionRun, outcomes: tuple[CallOutcome, ...]) -> None:
    for outcome in outcomes:
        summary, *found = outcome.value
        assert int(summary.split()[1]) > 100, summary  # it did read files (the system's)
        assert found == [], found


CHECKS = {
    name.removeprefix("check_"): fn for name, fn in globals().items() if name.startswith("check_")
}


def test_manifest_covers_every_hostile_file_and_names_known_checks() -> None:
    files = {p.name for p in HOSTILE.glob("*.py")}
    assert files == {e["file"] for e in MANIFEST}
    assert len(files) >= 25
    assert {c for e in MANIFEST for c in e["checks"]} <= set(CHECKS)


def test_notebook_with_ten_thousand_cells_loads_within_limits(tmp_path: Path) -> None:
    cells = [f"value_{i} = {i} * 2" for i in range(9_999)]
    cells.append(
        "def gradient_step(x, grad, learning_rate):\n    return x - learning_rate * grad\n"
    )
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
    }
    path = tmp_path / "many.ipynb"
    path.write_text(json.dumps(nb))
    limits = Limits(load_wall_s=10.0, call_wall_s=1.0)  # the default load budget
    started = time.monotonic()
    with Sandbox(limits) as sb:
        run = sb.run(load_submission(path), {"gradient_step": CALLS["gradient_step"]})
    assert time.monotonic() - started < limits.load_wall_s
    assert run.load.problems == ()
    assert run.load.duration_s < limits.load_wall_s
    step = run.outcomes["gradient_step"][0]
    np.testing.assert_array_equal(step.value, EXPECTED["gradient_step"][0])


def test_fifty_megabyte_file_is_refused_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "huge.py"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(SubmissionError, match="too large"):
        load_submission(path)
    assert time.monotonic() - started < 1.0


def test_notebook_shell_lines_and_cell_magics_never_reach_a_shell(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    cells = [
        f"!rm -rf {victim}\nfiles = !ls {victim}",
        f"%%bash\nrm -rf {victim}\n",
        f"%%writefile {victim}/keep.txt\noverwritten\n",
        "%time y = 1\n"
        "def gradient_step(x, grad, learning_rate):\n    return x - learning_rate * grad",
    ]
    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "code", "source": textwrap.dedent(c), "metadata": {}, "outputs": []}
            for c in cells
        ],
    }
    path = tmp_path / "magic.ipynb"
    path.write_text(json.dumps(nb))
    submission = load_submission(path)
    run = sandbox.run(submission, {"gradient_step": CALLS["gradient_step"]})
    assert (victim / "keep.txt").read_text() == "keep"
    assert run.outcomes["gradient_step"][0].status == "returned"
    assert len([n for n in submission.notes if n.kind == "magic"]) == 5
