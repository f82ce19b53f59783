"""The trusted side's handle on the zygote: spawn it, wait for it, ask it for processes.

The zygote is started as a fresh interpreter (`python -I -S`, scrubbed environment), so
it inherits no memory from the grader; the socket to it carries small JSON messages and,
with SCM_RIGHTS, the pipes of each submission process one way and its pidfd the other.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import select
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from gdgrade.errors import GraderFault
from gdgrade.sandbox.limits import Limits
from gdgrade.sandbox.zygote import bootstrap_code

STARTUP_S = 60.0  # zygote start (numpy import) on a loaded machine
SPAWN_S = 10.0  # one submission process: clone + isolation


class SandboxError(GraderFault, RuntimeError):
    """The sandbox itself failed (not the student's code): a grader fault."""


class ZygoteClient:
    """Client of the zygote process: spawned at once, waited for on first use."""

    def __init__(self, isolation: str, uid: int) -> None:
        self.uid = uid
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the zygote)
        config = {"mode": isolation, "uid": uid, "masks": _secret_paths()}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-S",
                "-c",
                bootstrap_code(),
                json.dumps(zygote_path()),
                str(theirs.fileno()),
                json.dumps(config),
            ],
            pass_fds=[theirs.fileno()],
            env=zygote_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            cwd="/",
        )
        theirs.close()
        self._ready: dict[str, Any] | None = None
        self.exits: dict[int, int] = {}
        self.unwanted: set[int] = set()  # killed by us: their exit status is not needed

    def ready(self) -> dict[str, Any]:
        if self._ready is None:
            message, _ = self._receive(time.monotonic() + STARTUP_S, {"ready"})
            self._ready = message
            _warn_if_exposed(file_confinement(message), self.uid)
        return self._ready

    def start(self, limits: Limits, fds: list[int], workdir: str) -> tuple[int, int]:
        data = json.dumps({"t": "start", "limits": limits.to_json(), "workdir": workdir})
        try:
            socket.send_fds(self.sock, [data.encode()], fds)
        except OSError as exc:
            raise SandboxError(f"the sandbox zygote is gone ({exc})") from None
        message, pidfds = self._receive(time.monotonic() + SPAWN_S, {"started", "failed"})
        if message["t"] == "failed" or len(pidfds) != 1:
            raise SandboxError(f"cannot start a sandbox process: {message.get('error')}")
        return int(message["pid"]), pidfds[0]

    def forget(self, pid: int) -> None:
        """The exit status of this process will not be asked for."""
        if self.exits.pop(pid, None) is None:
            self.unwanted.add(pid)

    def exit_status(self, pid: int, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while pid not in self.exits:
            try:
                self._receive(deadline, {"exit"})
            except SandboxError:
                return None
        return self.exits.pop(pid)

    def modules(self) -> list[str]:
        self.ready()
        self.sock.send(json.dumps({"t": "modules"}).encode())
        message, _ = self._receive(time.monotonic() + SPAWN_S, {"modules"})
        return list(message["modules"])

    def _receive(self, deadline: float, wanted: set[str]) -> tuple[dict[str, Any], list[int]]:
        """The next message of a wanted type; exit reports are filed on the way."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.sock], [], [], remaining)[0]:
                raise SandboxError(f"the sandbox zygote did not answer ({self._failure()})")
            data, fds, _, _ = socket.recv_fds(self.sock, 65536, 1)
            if not data:
                raise SandboxError(f"the sandbox zygote exited ({self._failure()})")
            message = json.loads(data)
            if message["t"] == "exit":
                pid = int(message["pid"])
                if pid in self.unwanted:
                    self.unwanted.discard(pid)
                else:
                    self.exits[pid] = int(message["status"])
            if message["t"] in wanted:
                return message, fds
            for fd in fds:
                os.close(fd)

    def _failure(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read()[-2000:].decode(errors="replace").strip()
        code = self.process.poll()
        return f"exit code {code}: {text}" if code is not None else text or "no answer"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._stderr.close()


def file_confinement(ready: dict[str, Any]) -> str:
    """What keeps the child from the grader's files: "namespaces" (its own root),
    "landlock" (an allow-list of paths) or "permissions" (only the uid, if any)."""
    if ready.get("mode") != "none":
        return "namespaces"
    landlock = ready.get("landlock")
    return "landlock" if isinstance(landlock, int) and landlock > 0 else "permissions"


_warned = False


def _warn_if_exposed(confinement: str, uid: int) -> None:
    """Once per process: the TA must know when student code can read their files."""
    global _warned
    if confinement != "permissions" or _warned:
        return
    _warned = True
    who = f"uid {uid}" if os.geteuid() == 0 else "your own user"
    print(
        "gdgrade: warning: no namespaces and no Landlock here; student code runs as "
        f"{who} and can read every file that user can read (docs/sandbox.md)",
        file=sys.stderr,
    )


def zygote_path() -> list[str]:
    """sys.path of the zygote: the grader package and the site-packages holding numpy."""
    grader_root = str(Path(__file__).resolve().parents[2])
    numpy_root = str(Path(np.__file__).resolve().parents[1])
    paths = [grader_root, numpy_root, sysconfig.get_paths()["purelib"]]
    paths.append(sysconfig.get_paths()["platlib"])
    return list(dict.fromkeys(paths))


def _secret_paths() -> list[str]:
    """Where the grader, the reference and the exercises live: never visible to a child,
    even if they sit inside a directory the child may read (an installed package)."""
    paths = set()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():  # a source checkout, not site-packages
        paths.add(str(checkout))
    for name in ("reference", "grader", "gdgrade", "exercises", "templates"):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            paths.update(str(Path(p).resolve()) for p in spec.submodule_search_locations)
    return sorted(paths)


def zygote_environment() -> dict[str, str]:
    """A scrubbed environment; the BLAS thread counts must be set before numpy loads
    (OpenBLAS threads hang under a process limit and cost start-up time)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        "VECLIB_MAXIMUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
