"""What the child can see and do: clean zygote, uid, namespaces, file system, cleanup,
the other isolation modes, and what a fork from the zygote costs."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gdgrade.sandbox import Limits, Sandbox, SubmissionRun
from gdgrade.submission import load_submission
from reference import REFERENCE

LIMITS = Limits(call_wall_s=2.0, load_wall_s=2.0, submission_wall_s=20.0)
STEP_ARGS = (np.array([1.0, 2.0]), np.array([0.5, -0.5]), 0.1)
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="uid drop and namespaces need root")
REPO = Path(__file__).resolve().parents[1]
ALLOWED_GRADER_MODULES = {
    "gdgrade",
    "gdgrade.contract",
    "gdgrade.function_specs",
    "gdgrade.case",
    "gdgrade.json_values",
    "gdgrade.sandbox",
    "gdgrade.sandbox.capture",
    "gdgrade.sandbox.child",
    "gdgrade.sandbox.exercise",
    "gdgrade.sandbox.isolation",
    "gdgrade.sandbox.landlock",
    "gdgrade.sandbox.limits",
    "gdgrade.sandbox.protocol",
    "gdgrade.sandbox.seccomp",
    "gdgrade.sandbox.units",
    "gdgrade.sandbox.zygote",
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(LIMITS) as sb:
        yield sb


def probe(sandbox: Sandbox, tmp_path: Path, body: str) -> Any:
    """Run `body` (the inside of gradient_step) in the child and return its value."""
    source = "import os, socket, sys\n\ndef gradient_step(x, grad, learning_rate):\n"
    source += textwrap.indent(textwrap.dedent(body), "    ")
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    run = sandbox.run(load_submission(path), {"gradient_step": [STEP_ARGS]})
    (outcome,) = run.outcomes["gradient_step"]
    assert outcome.status == "returned", outcome
    return outcome.value


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


def test_zygote_holds_only_numpy_and_the_child_runner(sandbox: Sandbox) -> None:
    modules = set(sandbox.zygote_modules())
    ours = {
        m for m in modules if m.split(".")[0] in ("grader", "gdgrade", "reference", "exercises")
    }
    assert ours <= ALLOWED_GRADER_MODULES
    assert "numpy" in modules and "numpy.random" in modules
    heavy = {"sympy", "jinja2", "matplotlib", "nbformat", "IPython"}
    assert not {m.split(".")[0] for m in modules} & heavy


@root_only
def test_child_runs_as_the_sandbox_uid_alone_in_its_namespaces(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    uid, pid, pids = probe(
        sandbox,
        tmp_path,
        """
        pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
        return [os.getuid(), os.getpid(), pids]
        """,
    )
    assert sandbox.mode == "root"
    assert uid == sandbox.uid
    assert pid <= 3 and pids == sorted(pids) and len(pids) <= 3  # itself and its parent
    assert 1 in pids


@root_only
def test_file_system_shows_the_system_and_nothing_of_the_grader(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("answers")
    found = probe(
        sandbox,
        tmp_path,
        f"""
        import numpy.fft, cmath, gdgrade
        found = {{"root": sorted(os.listdir("/")), "grader_file": gdgrade.__file__}}
        for path in [{str(REPO)!r}, {str(REPO / "reference")!r}, {str(tmp_path)!r}, "/work",
                     "/etc/shadow", "/root/.bashrc", "/var/log"]:
            found[path] = os.path.exists(path)
        try:
            open("/usr/lib/os-release", "a")
            found["usr_writable"] = True
        except OSError as exc:
            found["usr_writable"] = type(exc).__name__
        with open("note.txt", "w") as fh:
            fh.write("scratch")
        found["cwd"] = os.getcwd()
        found["home_files"] = os.listdir(".")
        return list(found.items())
        """,
    )
    found = dict(found)
    assert set(found["root"]) <= {"usr", "bin", "sbin", "lib", "lib64", "etc", "dev", "proc"} | {
        "tmp",
        "home",
        "root",
        "lib32",
        "libx32",
    }
    hidden = [str(REPO), str(REPO / "reference"), str(tmp_path), "/work", "/etc/shadow"]
    hidden += ["/root/.bashrc", "/var/log"]
    assert not any(found[p] for p in hidden), found
    assert found["grader_file"].startswith(str(REPO))  # a name, not a way in
    assert found["usr_writable"] in ("OSError", "PermissionError")
    assert found["cwd"] == "/home/student" and found["home_files"] == ["note.txt"]
    assert not (tmp_path / "note.txt").exists()


@root_only
def test_no_process_of_the_sandbox_uid_survives_a_run(sandbox: Sandbox, tmp_path: Path) -> None:
    value = probe(
        sandbox,
        tmp_path,
        """
        import threading, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                while True:
                    time.sleep(0.05)
            os._exit(0)
        threading.Thread(target=lambda: time.sleep(3600), daemon=False).start()
        return x - learning_rate * grad
        """,
    )
    np.testing.assert_array_equal(value, REFERENCE["gradient_step"](*STEP_ARGS))
    assert processes_of(sandbox.uid) == []


def test_user_namespace_mode_confines_without_root(tmp_path: Path) -> None:
    """The path a non-root developer machine takes, forced here (even as root)."""
    try:
        sb = Sandbox(LIMITS, isolation="userns")
        sb.mode  # noqa: B018 (starts the zygote)
    except Exception as exc:
        pytest.skip(f"user namespaces unavailable: {exc}")
    with sb:
        found = probe(
            sb,
            tmp_path,
            f"""
            result = {{"repo": os.path.exists({str(REPO)!r}), "pid": os.getpid()}}
            try:
                socket.create_connection(("127.0.0.1", 9), timeout=0.5)
                result["net"] = "connected"
            except OSError as exc:
                result["net"] = type(exc).__name__
            try:
                open("/usr/gdgrade-test", "w")
                result["usr"] = "written"
            except OSError as exc:
                result["usr"] = type(exc).__name__
            return list(result.items())
            """,
        )
        found = dict(found)
    assert found["repo"] is False and found["pid"] <= 3
    assert found["net"] != "connected" and found["usr"] != "written"
    assert not Path("/usr/gdgrade-test").exists()


def test_rlimits_only_mode_still_grades_and_cleans_its_directory(tmp_path: Path) -> None:
    before = set(Path(tempfile_dir()).glob("gdgrade-*"))
    with Sandbox(LIMITS, isolation="none") as sb:
        assert sb.mode == "none"
        value = probe(
            sb, tmp_path, "open('x.txt', 'w').write('x')\nreturn x - learning_rate * grad"
        )
    np.testing.assert_array_equal(value, REFERENCE["gradient_step"](*STEP_ARGS))
    assert set(Path(tempfile_dir()).glob("gdgrade-*")) == before


def tempfile_dir() -> str:
    import tempfile

    return tempfile.gettempdir()


def test_a_fork_from_the_zygote_costs_a_fraction_of_a_fresh_interpreter(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.py"
    path.write_text(
        "def gradient_step(x, grad, learning_rate):\n    return x - learning_rate * grad\n"
    )
    submission = load_submission(path)
    runs: list[SubmissionRun] = []
    forks = []
    for _ in range(15):
        started = time.perf_counter()
        runs.append(sandbox.run(submission, {"gradient_step": [STEP_ARGS]}))
        forks.append(time.perf_counter() - started)
    fresh = []
    paths = [str(Path(np.__file__).parents[1])]
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                f"import sys; sys.path[:0] = {paths!r}; import numpy",
            ],
            env={"OPENBLAS_NUM_THREADS": "1"},
            check=True,
        )
        fresh.append(time.perf_counter() - started)
    assert all(r.outcomes["gradient_step"][0].status == "returned" for r in runs)
    assert statistics.median(forks) < statistics.median(fresh)


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the seccomp filter is x86_64 only")
def test_seccomp_filter_refuses_escapes_but_not_threads_or_processes() -> None:
    program = textwrap.dedent(
        """
        import ctypes, errno, os, subprocess, threading
        from gdgrade.sandbox import isolation, seccomp
        isolation.prctl(isolation.PR_SET_NO_NEW_PRIVS, 1)
        assert seccomp.install()
        libc = ctypes.CDLL(None, use_errno=True)
        for flags in (0x10000000, 0x40000000, 0x00020000):
            assert libc.unshare(flags) == -1 and ctypes.get_errno() == errno.EPERM
        assert libc.mount(b"none", b"/mnt", b"tmpfs", 0, None) == -1
        worker = threading.Thread(target=print, args=("thread ok",))
        worker.start()
        worker.join()
        print(subprocess.run(["/bin/echo", "process ok"], capture_output=True, text=True).stdout)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "thread ok" in done.stdout and "process ok" in done.stdout
