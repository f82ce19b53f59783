"""Secrets on the grader's machine stay unreadable to student code, in every mode.

The machine as a TA's really is: a class folder with a classmate's submission, a batch's
outputs and case cache beside it (in a folder others may enter, as a home directory
often is), the checkout with the reference solutions, and a grader process holding the
seed in its environment and on its command line. The walker of the hostile corpus
(tests/hostile/walk_for_secrets.py) reads every file it is allowed to and every
process's command line and environment, looking for the seed, a hidden expected value,
the classmate's text and the reference source. It runs in the namespace mode and, as
in containers that may not create namespaces, forced into the no-namespace mode.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from gdgrade.sandbox import Sandbox, landlock, zygote_client
from gdgrade.sandbox.zygote_client import _warn_if_exposed, file_confinement
from grader.batch.gradebook import FILENAME
from grader.batch.pipeline import check_paths

REPO = Path(__file__).resolve().parents[1]
WALKER = REPO / "tests" / "hostile" / "walk_for_secrets.py"
CLASSMATE = REPO / "tests" / "submissions" / "correct" / "vectorised.py"
WALK_BUDGET_S = 8.0
NAMESPACE_MODE = "root" if os.geteuid() == 0 else "userns"

# The grader here stands for `gdgrade grade mallory.py --seed S` with GDGRADE_SEED=S set:
# it holds the seed, starts a Sandbox and prints what the walker returned.
GRADER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from gdgrade.function_specs import FunctionSpec
    from gdgrade.sandbox import Limits, Sandbox
    from gdgrade.submission import load_submission

    mode, path, budget = sys.argv[1], sys.argv[2], float(sys.argv[3])
    f = FunctionSpec(("x**2",), 0, "scalar").with_source()
    limits = Limits(call_wall_s=budget + 10, submission_wall_s=budget + 30, cpu_s=budget + 30)
    with Sandbox(limits, isolation=mode) as sandbox:
        run = sandbox.run(load_submission(Path(path)), {"numerical_derivative": [(f, 1.0, 1e-5)]})
        outcome = run.outcomes["numerical_derivative"][0]
        files = getattr(sandbox, "file_confinement", "?")
        print(json.dumps({"mode": sandbox.mode, "files": files, "status": outcome.status,
                          "value": outcome.value, "error": outcome.error_message}))
    """
)


@dataclass(frozen=True)
class Classroom:
    area: Path  # the TA's folder: class/, out/, cache/
    needles: dict[str, bytes]  # what must not be found


def hidden_expected_value(cache: Path) -> float:
    """A hidden case's expected value, as the batch computed and cached it."""
    for path in sorted(cache.glob("numerical_derivative-*.json")):
        for entry in json.loads(path.read_text())["expectations"]:
            if entry["case"]["visibility"] != "public" and isinstance(entry["reference"], float):
                return entry["reference"]
    raise AssertionError("the batch cached no hidden case")


@pytest.fixture(scope="module")
def classroom() -> Iterator[Classroom]:
    area = Path(tempfile.mkdtemp(prefix="gdgrade-ta-"))
    area.chmod(0o755)  # others may enter, as a home directory often allows
    seed = str(secrets.randbelow(9 * 10**11) + 10**11)
    token = secrets.token_hex(16)
    (area / "class").mkdir()
    (area / "class" / "alice.py").write_text(
        CLASSMATE.read_text() + f"\n# {token}\nprint({token!r})\n"
    )
    env = os.environ | {"GDGRADE_SEED": seed, "GDGRADE_CACHE_DIR": str(area / "cache")}
    done = subprocess.run(
        [sys.executable, "-m", "grader", "batch", "class", "--out", "out", "--jobs", "1"],
        cwd=area,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    hidden = hidden_expected_value(area / "cache")
    source = (REPO / "reference" / "derivatives.py").read_text().splitlines()
    needles = {
        "seed": seed.encode(),
        "hidden expected value": json.dumps(hidden).encode(),
        "classmate": token.encode(),
        "reference": max(source, key=len).strip().encode(),
    }
    try:
        yield Classroom(area, needles)
    finally:
        shutil.rmtree(area, ignore_errors=True)


def walk(classroom: Classroom, mode: str, workdir: Path) -> dict[str, object]:
    """Grade the walker in `mode` from a grader process that holds the seed."""
    hexed = {k: v.hex() for k, v in classroom.needles.items()}
    source = WALKER.read_text()
    for key, value in {
        "__NEEDLES__": json.dumps(hexed).encode().hex(),
        "__ROOTS__": json.dumps([str(classroom.area), str(REPO)]).encode().hex(),
        "__BUDGET_S__": str(WALK_BUDGET_S),
    }.items():
        source = source.replace(key, value)
    path = workdir / "mallory.py"
    path.write_text(source)
    seed = classroom.needles["seed"].decode()
    done = subprocess.run(
        [sys.executable, "-c", GRADER, mode, str(path), str(WALK_BUDGET_S), "--seed", seed],
        env=os.environ | {"GDGRADE_SEED": seed},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("mode", [NAMESPACE_MODE, "none"])
def test_a_file_system_walk_finds_no_seed_hidden_value_classmate_or_reference(
    classroom: Classroom, mode: str, tmp_path: Path
) -> None:
    if mode == "none" and os.geteuid() != 0:
        pytest.skip("without root, the no-namespace mode runs as the grader's own user")
    # the secrets are there to be found by anyone allowed to read them
    assert classroom.needles["classmate"] in (classroom.area / "class" / "alice.py").read_bytes()
    assert any(
        classroom.needles["hidden expected value"] in p.read_bytes()
        for p in (classroom.area / "cache").iterdir()
    )
    report = walk(classroom, mode, tmp_path)
    assert report["mode"] == mode and report["status"] == "returned", report
    summary, *found = report["value"]
    assert int(summary.split()[1]) > 100, summary  # it did read what it may (the system)
    assert found == [], f"{mode} mode ({report['files']}): {found}"


def test_batch_outputs_are_private_to_the_grader(classroom: Classroom) -> None:
    out = classroom.area / "out"
    paths = [out, *out.rglob("*")]
    assert any(p.name == "alice.json" for p in paths)
    shared = [
        f"{p.relative_to(classroom.area)} {stat.S_IMODE(p.stat().st_mode):o}"
        for p in paths
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert shared == []


def test_without_namespaces_or_landlock_the_grader_is_warned_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zygote_client, "_warned", False)
    assert file_confinement({"mode": "root", "landlock": 0}) == "namespaces"
    assert file_confinement({"mode": "none", "landlock": 6}) == "landlock"
    assert file_confinement({"mode": "none", "landlock": 0}) == "permissions"
    _warn_if_exposed("permissions", 60001)
    _warn_if_exposed("permissions", 60001)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "can read every file" in lines[0]


def test_an_earlier_batchs_open_output_folder_is_closed_but_no_other_folder(
    tmp_path: Path,
) -> None:
    (tmp_path / "class").mkdir()
    earlier, other = tmp_path / "earlier", tmp_path / "shared"
    for folder in (earlier, other):
        folder.mkdir()
        folder.chmod(0o755)
    (earlier / FILENAME).write_bytes(b"")
    for out in (earlier, other):
        check_paths(tmp_path / "class", out)
    assert stat.S_IMODE(earlier.stat().st_mode) == 0o700
    assert stat.S_IMODE(other.stat().st_mode) == 0o755  # /tmp or a home: not ours to close


@pytest.mark.skipif(os.geteuid() != 0, reason="the container case: root without namespaces")
@pytest.mark.skipif(platform.machine() != "x86_64", reason="the seccomp filter is x86_64 only")
def test_root_that_may_not_create_namespaces_falls_back_and_still_hides_the_reference(
    tmp_path: Path,
) -> None:
    """As in Docker's default profile, a seccomp filter refuses new namespaces (this
    project's own filter does). The sandbox must fall back to the no-namespace mode
    instead of failing every submission, and still keep the reference out of reach."""
    probe = tmp_path / "probe.py"
    target = REPO / "reference" / "derivatives.py"
    probe.write_text(
        "def gradient_step(x, grad, learning_rate):\n"
        f"    try:\n        open({str(target)!r}).read()\n        return 'read'\n"
        "    except OSError as exc:\n        return type(exc).__name__\n"
    )
    program = textwrap.dedent(
        f"""
        import json, numpy as np
        from pathlib import Path
        from gdgrade.sandbox import Sandbox, isolation, seccomp
        from gdgrade.submission import load_submission
        isolation.prctl(isolation.PR_SET_NO_NEW_PRIVS, 1)
        seccomp.install()
        with Sandbox() as sandbox:
            run = sandbox.run(load_submission(Path({str(probe)!r})),
                              {{"gradient_step": [(np.ones(2), np.ones(2), 0.1)]}})
            value = run.outcomes["gradient_step"][0].value
            files = getattr(sandbox, "file_confinement", "?")
            print(json.dumps([sandbox.mode, files, value]))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "GDGRADE_ISOLATION"}
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == ["none", "landlock", "PermissionError"]


@pytest.mark.skipif(landlock.abi_version() == 0, reason="no Landlock in this kernel")
def test_an_installed_grader_in_site_packages_stays_closed_beside_open_packages(
    tmp_path: Path,
) -> None:
    """pip installs gdgrade world-readable next to numpy; Landlock grants whole trees,
    so site-packages is opened entry by entry around the grader's directories."""
    site = tmp_path / "site-packages"
    (site / "numpy_like").mkdir(parents=True)
    (site / "numpy_like" / "core.py").write_text("open")
    (site / "top.py").write_text("open")
    (site / "reference").mkdir()
    (site / "reference" / "registry.py").write_text("SOLUTION")
    (site / "sneaky").symlink_to(site / "reference")
    rules = landlock.readable_rules([str(site)], [str(site / "reference")])
    program = textwrap.dedent(
        f"""
        import json, os
        from gdgrade.sandbox import isolation, landlock
        ruleset = landlock.Ruleset(landlock.abi_version())
        for path, access in {[(r.path, r.access) for r in rules]!r}:
            ruleset.allow(landlock.Rule(path, access))
        isolation.prctl(isolation.PR_SET_NO_NEW_PRIVS, 1)
        ruleset.enforce()
        found = {{}}
        for name in ("numpy_like/core.py", "top.py", "reference/registry.py",
                     "sneaky/registry.py", "reference"):
            path = os.path.join({str(site)!r}, name)
            try:
                found[name] = os.listdir(path) if os.path.isdir(path) else open(path).read()
            except OSError as exc:
                found[name] = type(exc).__name__
        found["listing"] = sorted(os.listdir({str(site)!r}))
        print(json.dumps(found))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "numpy_like/core.py": "open",
        "top.py": "open",
        "reference/registry.py": "PermissionError",
        "sneaky/registry.py": "PermissionError",
        # names can be listed (the import system needs site-packages' listing, and
        # Landlock grants listing to a whole tree), contents cannot be read
        "reference": ["registry.py"],
        "listing": ["numpy_like", "reference", "sneaky", "top.py"],
    }


def test_the_seed_never_reaches_the_zygote(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every submission process is forked from the zygote: what it was never given, no
    student can find in its environment, command line or memory."""
    seed = str(secrets.randbelow(9 * 10**11) + 10**11)
    monkeypatch.setenv("GDGRADE_SEED", seed)
    with Sandbox() as sandbox:
        pid = sandbox.zygote_pid
        for leaf in ("environ", "cmdline"):
            assert seed.encode() not in Path(f"/proc/{pid}/{leaf}").read_bytes()
        assert "GDGRADE_SEED" not in Path(f"/proc/{pid}/environ").read_text()
