"""The portable runner: the check on systems without the Linux sandbox.

Each test is about what a student notices: the same report as the sandbox's, a hang or a
crash that ends as a verdict while the caller carries on, and a check that works where
fork, the sandbox's kernel features or user namespaces are missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gdgrade.checker import check_submission
from gdgrade.display import render_check_text
from gdgrade.sandbox import Limits, Sandbox
from gdgrade.sandbox import runners as runners_module
from gdgrade.sandbox.portable import PortableRunner
from gdgrade.submission import load_submission
from grader.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "submissions"
TIMING = re.compile(r"^(checked in [0-9.]+ s)$", re.MULTILINE)
FAST = Limits(call_wall_s=1.0, load_wall_s=2.0, submission_wall_s=30.0)


def report_text(runner, path: Path) -> str:
    report = check_submission(load_submission(path), runner)
    return TIMING.sub("", render_check_text(report, "en", color=False))


def write(tmp_path: Path, source: str, name: str = "hw.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "sample",
    [
        "correct/notebook.ipynb",
        "any/syntax_error.py",
        "any/memory.py",
        "minibatch_gd/ignores_rng_global_seed.py",
    ],
)
def test_portable_report_is_the_sandbox_report(sample):
    """Verdicts, diagnoses and messages word for word (tests/runner_parity.py does the
    whole corpus through the command line)."""
    with Sandbox() as sandbox:
        expected = report_text(sandbox, CORPUS / sample)
    assert report_text(PortableRunner(), CORPUS / sample) == expected


def test_endless_loop_times_out_within_the_limit_and_other_calls_are_skipped(tmp_path):
    path = write(
        tmp_path,
        """
        def gradient_step(x, grad, learning_rate):
            while True:
                pass
        """,
    )
    started = time.monotonic()
    run = PortableRunner(FAST).run(load_submission(path), {"gradient_step": [(1.0, 2.0, 0.1)] * 4})
    elapsed = time.monotonic() - started
    statuses = [o.status for o in run.outcomes["gradient_step"]]
    assert statuses == ["timeout"] * 4
    said = [(o.reason, o.reason_params) for o in run.outcomes["gradient_step"]]
    assert said[0] == ("wall_limit", {"seconds": 1.0})
    assert said[2] == ("skipped_after_timeouts", {"count": 2, "seconds": 1.0})
    assert elapsed < 2 * (FAST.call_wall_s + 0.25) + 10  # two waits, plus process starts


def test_os_exit_during_a_call_is_a_crash_and_the_next_call_still_runs(tmp_path):
    path = write(
        tmp_path,
        """
        import os

        def gradient_step(x, grad, learning_rate):
            if x < 0:
                os._exit(3)
            return x - learning_rate * grad
        """,
    )
    calls = {"gradient_step": [(-1.0, 1.0, 0.1), (1.0, 2.0, 0.1)]}
    run = PortableRunner(FAST).run(load_submission(path), calls)
    crashed, returned = run.outcomes["gradient_step"]
    assert (crashed.status, crashed.reason, crashed.reason_params) == (
        "crashed",
        "exited",
        {"code": 3},
    )
    assert returned.status == "returned" and returned.value == pytest.approx(0.8)


def test_a_flood_of_output_is_cut_not_kept(tmp_path):
    path = write(
        tmp_path,
        """
        import os

        def gradient_step(x, grad, learning_rate):
            print("x" * 10_000_000)
            os.write(1, b"y" * 1_000_000)
            return x - learning_rate * grad
        """,
    )
    limits = Limits(output_bytes=1000)
    run = PortableRunner(limits).run(load_submission(path), {"gradient_step": [(1.0, 2.0, 0.1)]})
    (outcome,) = run.outcomes["gradient_step"]
    assert outcome.status == "returned"
    assert outcome.stdout.endswith("[... 9999001 more characters not shown]\n")
    assert "[... more output not shown]" in run.load.raw_output
    assert len(run.load.raw_output) < 2 * limits.output_bytes


def test_results_still_in_the_pipe_when_the_child_exits_are_not_a_crash(tmp_path, monkeypatch):
    """The child ends right after its last frame; a slow reader must still file it."""
    import gdgrade.sandbox.portable as portable

    class SlowReader(portable.FrameReader):
        def feed(self, data: bytes):
            frames = super().feed(data)
            if any(f.get("t") == "result" for f in frames):
                time.sleep(0.6)  # the child has exited by now
            return frames

    monkeypatch.setattr(portable, "FrameReader", SlowReader)
    path = write(tmp_path, "def gradient_step(x, grad, learning_rate):\n    return x\n")
    run = PortableRunner(FAST).run(load_submission(path), {"gradient_step": [(1.0, 2.0, 0.1)]})
    assert [o.status for o in run.outcomes["gradient_step"]] == ["returned"]


def test_module_level_hang_uses_the_load_budget_and_later_definitions_count(tmp_path):
    path = write(
        tmp_path,
        """
        while True:
            pass

        def gradient_step(x, grad, learning_rate):
            return x - learning_rate * grad
        """,
    )
    run = PortableRunner(FAST).run(load_submission(path), {"gradient_step": [(1.0, 2.0, 0.1)]})
    assert run.load.defined == ("gradient_step",)
    assert run.load.problems[0].kind == "timeout"
    assert run.outcomes["gradient_step"][0].status == "returned"


def test_student_code_cannot_start_processes_or_signal_the_checker(tmp_path):
    path = write(
        tmp_path,
        """
        import os
        import subprocess

        def gradient_step(x, grad, learning_rate):
            if x == 1:
                os.kill(os.getppid(), 0)
            if x == 2:
                os.fork()
            subprocess.run(["true"])
        """,
    )
    calls = {"gradient_step": [(1.0, 1.0, 0.1), (2.0, 1.0, 0.1), (3.0, 1.0, 0.1)]}
    run = PortableRunner(FAST).run(load_submission(path), calls)
    for outcome, event in zip(
        run.outcomes["gradient_step"], ("os.kill", "os.fork", "subprocess"), strict=True
    ):
        assert outcome.error_type == "PermissionError"
        assert outcome.error_message.startswith(event)


def test_student_code_cannot_reach_c_functions_through_ctypes(tmp_path):
    """PTRACE_ATTACH to the parent (tests/hostile/privileges.py) would stop the checker."""
    path = write(
        tmp_path,
        """
        import ctypes

        def gradient_step(x, grad, learning_rate):
            if x == 1:
                ctypes.CDLL(None).ptrace(16, 0, None, None)
            return ctypes.pythonapi.Py_GetVersion()
        """,
    )
    calls = {"gradient_step": [(1.0, 1.0, 0.1), (2.0, 1.0, 0.1)]}
    run = PortableRunner(FAST).run(load_submission(path), calls)
    for outcome, event in zip(
        run.outcomes["gradient_step"], ("ctypes.dl", "ctypes.dl"), strict=True
    ):
        assert outcome.error_type == "PermissionError"
        assert outcome.error_message.startswith(event)


def test_instructor_modules_and_the_check_are_out_of_reach_in_both_runners(tmp_path):
    path = write(
        tmp_path,
        """
        FOUND = []
        for statement in ("import grader", "import reference", "from gdgrade import check"):
            try:
                exec(statement)
            except ImportError as exc:
                FOUND.append(str(exc))

        def gradient_step(x, grad, learning_rate):
            return FOUND
        """,
    )
    calls = {"gradient_step": [(1.0, 1.0, 0.1)]}
    expected = Sandbox().run(load_submission(path), calls).outcomes["gradient_step"][0].value
    got = PortableRunner().run(load_submission(path), calls).outcomes["gradient_step"][0].value
    assert (
        got
        == expected
        == [
            "No module named 'grader'",
            "No module named 'reference'",
            "gdgrade's check() is not available while grading",
        ]
    )


# --- choosing the runner -----------------------------------------------------------------


def test_check_says_which_runner_ran(capsys):
    sample = str(CORPUS / "any" / "not_defined.py")
    cli_main(["check", sample, "--lang", "en"])
    auto = capsys.readouterr().out.rstrip("\n").split("\n")[-1]
    assert auto.startswith("ran in the Linux sandbox (isolation: ")
    cli_main(["check", sample, "--lang", "en", "--runner", "portable"])
    forced = capsys.readouterr().out.rstrip("\n").split("\n")[-1]
    assert forced == (
        "ran with the portable runner: a separate process with time limits, "
        "without isolation (chosen with --runner or GDGRADE_RUNNER)"
    )


def test_environment_variable_forces_the_runner_and_a_bad_value_is_one_line(monkeypatch, capsys):
    sample = str(CORPUS / "any" / "not_defined.py")
    monkeypatch.setenv("GDGRADE_RUNNER", "portable")
    assert cli_main(["check", sample]) == 0
    assert "이식형 실행기로 실행했습니다" in capsys.readouterr().out
    monkeypatch.setenv("GDGRADE_RUNNER", "docker")
    assert cli_main(["check", sample]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "GDGRADE_RUNNER='docker' is not a runner" in err


def test_where_the_sandbox_is_unavailable_the_check_is_portable_and_says_why(monkeypatch, capsys):
    monkeypatch.setattr(runners_module, "sandbox_unavailable", lambda: "the sandbox needs Linux")
    sample = str(CORPUS / "any" / "not_defined.py")
    assert cli_main(["check", sample, "--lang", "en"]) == 0
    last = capsys.readouterr().out.rstrip("\n").split("\n")[-1]
    assert last.startswith("ran with the portable runner") and "(the sandbox needs Linux)" in last
    assert cli_main(["check", sample, "--runner", "sandbox"]) == 2
    assert "the sandbox cannot run here: the sandbox needs Linux" in capsys.readouterr().err


def test_grading_refuses_without_the_sandbox_unless_no_isolation(monkeypatch, capsys):
    monkeypatch.setattr(runners_module, "sandbox_unavailable", lambda: "the sandbox needs Linux")
    monkeypatch.setenv("GDGRADE_SEED", "5192837465019283746")  # the instructor's secret
    sample = str(CORPUS / "correct" / "loops.py")
    assert cli_main(["grade", sample]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--no-isolation grades without isolation" in err
    assert cli_main(["grade", sample, "--no-isolation", "--format", "json"]) == 0
    assert '"score": 100' in capsys.readouterr().out.replace('"score": 100.0', '"score": 100')


def test_batch_refuses_without_the_sandbox(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(runners_module, "sandbox_unavailable", lambda: "the sandbox needs Linux")
    assert cli_main(["batch", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "grading runs students' code only in the sandbox" in capsys.readouterr().err


# --- systems without fork, without the sandbox's features, without user namespaces -------

NO_FORK = """
import multiprocessing, os, sys

multiprocessing.set_start_method("spawn", force=True)

def refused(*args, **kwargs):
    raise OSError("fork is not available on this system")

os.fork = refused
{extra}
import gdgrade
from gdgrade.checker import check_submission
from gdgrade.sandbox.runners import CheckRunner, requested_runner
from gdgrade.submission import load_submission

with CheckRunner(requested_runner(None)) as runner:
    report = check_submission(load_submission(sys.argv[1]), runner)
print(runner.used, report.ok, sum(c.verdict == "passed" for c in report.checks))
"""
# Not Linux: no os.fork at all, and the POSIX-only modules the sandbox uses fail to import.
NOT_LINUX = """
del os.fork
import builtins
_import = builtins.__import__
def no_posix(name, *args, **kwargs):
    if name in ("fcntl", "resource", "termios"):
        raise ImportError(f"No module named {name!r}")
    return _import(name, *args, **kwargs)
builtins.__import__ = no_posix
import sysconfig
sysconfig.get_config_vars()  # read before the platform changes its file name
sys.platform = "win32"
"""


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_check_works_when_fork_raises_and_multiprocessing_spawns():
    sample = str(CORPUS / "correct" / "loops.py")
    code = NO_FORK.format(extra="")
    assert run_python(code, sample, env={"GDGRADE_RUNNER": "portable"}) == "portable True 9"


def test_student_package_imports_and_checks_on_a_system_without_fork_or_posix_modules():
    sample = str(CORPUS / "correct" / "loops.py")
    assert run_python(NO_FORK.format(extra=NOT_LINUX), sample) == "portable True 9"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
def test_check_works_without_user_namespaces():
    """As an unprivileged user that may not create user namespaces (a nested one,
    unmapped), the sandbox falls back to its no-namespace mode; forced portable works."""
    probe = subprocess.run(["unshare", "--user", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a user namespace to simulate the restriction")
    sample = str(CORPUS / "correct" / "loops.py")
    base = ["unshare", "--user", sys.executable, "-m", "grader", "check", sample, "--lang", "en"]
    for extra, line in (
        ([], "ran in the Linux sandbox (isolation: none)"),
        (["--runner", "portable"], "ran with the portable runner"),
    ):
        done = subprocess.run([*base, *extra], capture_output=True, text=True, timeout=300, cwd="/")
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "All 9 checked functions pass" in done.stdout
        assert done.stdout.rstrip("\n").split("\n")[-1].startswith(line)
