"""Run `gdgrade check` with both runners on every sample submission and compare.

    python tests/runner_parity.py                      # tests/submissions, this checkout
    python tests/runner_parity.py --gdgrade VENV/bin/gdgrade --hostile --contain

For each file of tests/submissions the sandbox's and the portable runner's reports must
give the same verdict per function and, apart from the timing line and the line naming
the runner, the same text. For tests/hostile (`--hostile`) the portable runner must
survive and report (exit 0 or 1 and a report); `--contain` runs those checks in fresh
mount, pid, network, IPC and UTS namespaces (and a user namespace unless started by root),
with a private /tmp and every other mount read-only, because without a sandbox the
attacks (kill every process, set the clock, write into /tmp or the system's folders) would
reach this machine. The gdgrade it runs must then be installed outside /tmp.
Prints one line per file and a table of totals; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "submissions"
HOSTILE = HERE / "hostile"
TIMING = re.compile(r"^(checked in [0-9.]+ s|확인에 걸린 시간 [0-9.]+초)$")
VERDICT = re.compile(r"^(✓|✗|…|-|!) +(\d)\. (\w+) ")
NAMESPACES = ["--mount", "--pid", "--fork", "--mount-proc", "--net", "--ipc", "--uts"]
# In the new mount namespace: nothing propagates back, /tmp is a private tmpfs, and every
# other mount is read-only (uid 0 keeps its rights on the system's files in a namespace).
CONFINE = (
    "mount --make-rprivate / && mount -t tmpfs -o size=256m tmpfs /tmp && "
    "for m in $(awk '$2 != \"/tmp\" && $2 !~ /^\\/(proc|dev|sys)/ {print $2}' /proc/mounts); "
    'do mount -o remount,bind,ro "$m" 2>/dev/null || true; done && exec "$@"'
)


def contained(argv: list[str]) -> list[str]:
    """`argv` in fresh namespaces, with a private /tmp and the rest read-only."""
    user = [] if os.geteuid() == 0 else ["--user", "--map-root-user"]
    return ["unshare", *user, *NAMESPACES, "sh", "-c", CONFINE, "sh", *argv]


CHECK_LIMIT_S = 300


@dataclass(frozen=True)
class Check:
    code: int
    text: str  # without the timing line and the runner line
    verdicts: tuple[tuple[str, str], ...]  # (function, mark)
    runner: str  # the last line
    error: str = ""  # the first line of standard error, if any


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".ipynb"))


def run_check(command: list[str], path: Path, runner: str, contain: bool = False) -> Check:
    argv = [*command, "check", str(path), "--lang", "en", "--runner", runner]
    if contain:
        argv = contained(argv)
    env = dict(os.environ, NO_COLOR="1")
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=CHECK_LIMIT_S, env=env, cwd="/"
        )
    except subprocess.TimeoutExpired:
        return Check(-1, "", (), "the check itself did not return")
    lines = done.stdout.rstrip("\n").split("\n")
    runner_line = lines.pop() if lines and lines[-1].startswith("ran ") else ""
    kept = [line for line in lines if not TIMING.match(line)]
    verdicts = tuple((m[3], m[1]) for line in kept if (m := VERDICT.match(line)))
    error = done.stderr.strip().split("\n")[0] if done.stderr.strip() else ""
    return Check(done.returncode, "\n".join(kept), verdicts, runner_line, error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gdgrade", help="the gdgrade command to test (default: this checkout)")
    parser.add_argument("--hostile", action="store_true", help="also the hostile files")
    parser.add_argument("--contain", action="store_true", help="hostile checks in namespaces")
    args = parser.parse_args()
    command = [args.gdgrade] if args.gdgrade else [sys.executable, "-m", "grader"]
    if args.contain and shutil.which("unshare") is None:
        parser.error("--contain needs unshare(1)")
    if args.contain and Path(shutil.which(command[0]) or command[0]).resolve().is_relative_to(
        "/tmp"
    ):
        parser.error("--contain gives the checks a private /tmp: install gdgrade outside /tmp")
    totals = {"files": 0, "same verdicts": 0, "same text": 0, "same exit code": 0}
    totals["text varies run to run"] = 0  # in the sandbox too: counted as same text
    failed = False
    for path in files(CORPUS):
        sandbox = run_check(command, path, "sandbox")
        portable = run_check(command, path, "portable")
        same_verdicts = bool(sandbox.verdicts) and sandbox.verdicts == portable.verdicts
        same_text = sandbox.text == portable.text
        if not same_text and run_check(command, path, "sandbox").text != sandbox.text:
            totals["text varies run to run"] += 1  # unseeded global random state
            same_text = True
        totals["files"] += 1
        totals["same verdicts"] += same_verdicts
        totals["same text"] += same_text
        totals["same exit code"] += sandbox.code == portable.code
        ok = same_verdicts and same_text and sandbox.code == portable.code
        failed |= not ok
        name = path.relative_to(CORPUS)
        print(f"{'same' if ok else 'DIFFERENT':9}  {name}  exit {sandbox.code}/{portable.code}")
        for label, check in (("sandbox", sandbox), ("portable", portable)):
            if not ok and check.error:
                print(f"           {label}: {check.error[:200]}")
    print()
    print("| tests/submissions | count |")
    print("|---|---|")
    for key, value in totals.items():
        print(f"| {key} | {value} |")
    if args.hostile:
        survived = reported = 0
        hostile = files(HOSTILE)
        for path in hostile:
            portable = run_check(command, path, "portable", contain=args.contain)
            alive = portable.code in (0, 1)
            has_report = bool(portable.verdicts) and portable.runner.startswith("ran with")
            survived += alive
            reported += has_report
            failed |= not (alive and has_report)
            marks = " ".join(f"{f}:{m}" for f, m in portable.verdicts if m != "-")
            state = "survived" if alive and has_report else "FAILED"
            print(f"{state:9}  {path.name}  exit {portable.code}  {marks}")
        print()
        print("| tests/hostile (portable runner) | count |")
        print("|---|---|")
        print(f"| files | {len(hostile)} |")
        print(f"| checker survived (exit 0/1) | {survived} |")
        print(f"| report printed | {reported} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
