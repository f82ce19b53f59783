"""The clean, pre-warmed server that starts every submission process.

The trusted side spawns it once per Sandbox as a fresh interpreter (`python -I -S`, a
scrubbed environment, only numpy and the child runner imported), so its memory never
held an expected value, a reference output or another submission: a student walking
frames or the garbage collector in a process forked from it finds nothing to steal.
It talks to the trusted side over a SOCK_SEQPACKET socket: "start" carries the pipes of
one submission (SCM_RIGHTS) and is answered with a pidfd of the new process; it also
reports each child's exit status. It never runs student code itself.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import select
import signal
import socket
import sys
from typing import Any

from gdgrade.sandbox import isolation, landlock
from gdgrade.sandbox.limits import Limits

# Imported before forking so that students' common imports cost nothing and never
# depend on lazy loading: numpy loads numpy.random/linalg/fft on first use.
PRELOAD = (
    "numpy",
    "numpy.random",
    "numpy.linalg",
    "numpy.fft",
    "math",
    "cmath",
    "random",
    "statistics",
    "itertools",
    "functools",
    "collections",
    "copy",
    "decimal",
    "fractions",
)
MESSAGE_BYTES = 64 * 1024
CHILD_FDS = 4  # request, result, output, progress


def bootstrap_code() -> str:
    """The -c program of the zygote interpreter: its sys.path comes as argv[1]."""
    return (
        "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
        "from gdgrade.sandbox.zygote import main; main(int(sys.argv[2]), sys.argv[3])"
    )


def main(control_fd: int, config_json: str) -> None:
    isolation.prctl(isolation.PR_SET_PDEATHSIG, signal.SIGKILL)  # die with the grader
    for name in PRELOAD:
        importlib.import_module(name)
    import fcntl  # noqa: F401  (every child's _arrange_fds needs it: loaded once, here)

    from gdgrade.sandbox import child  # noqa: F401  (imports the values/functions/contract modules)

    gc.freeze()  # keep the preloaded heap shared (copy-on-write) in every fork
    config = json.loads(config_json)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET, fileno=control_fd)
    Zygote(sock, config).serve()


class Zygote:
    def __init__(self, sock: socket.socket, config: dict[str, Any]) -> None:
        self.sock = sock
        self.masks = tuple(config.get("masks", ()))
        requested = config.get("mode", "auto")
        self.mode: isolation.Mode = isolation.probe_mode() if requested == "auto" else requested
        isolation.confine_zygote(self.mode)
        self.uid = int(config["uid"])
        self.workdir = config.get("workdir")
        self.binds = self._binds()
        self.landlock_abi = landlock.abi_version() if self.mode == "none" else 0
        self.readable: tuple[landlock.Rule, ...] = ()
        if self.landlock_abi:
            self.readable = tuple(landlock.readable_rules(self.binds, self.masks))
        self.children: dict[int, int] = {}  # pidfd -> pid

    def _binds(self) -> tuple[str, ...]:
        """Host paths a student may see (read-only): the system and the interpreter."""
        candidates = [*isolation.SYSTEM_DIRS, *("/etc/" + f for f in isolation.ETC_FILES)]
        candidates += [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
        candidates += [p for p in sys.path if os.path.isdir(p)]
        return tuple(p for p in dict.fromkeys(candidates) if not self._masked(p))

    def _masked(self, path: str) -> bool:
        return any(path == m or path.startswith(m.rstrip("/") + "/") for m in self.masks)

    def serve(self) -> None:
        hello = {"t": "ready", "pid": os.getpid(), "mode": self.mode}
        self._send(hello | {"landlock": self.landlock_abi})
        while True:
            watched = [self.sock.fileno(), *self.children]
            ready, _, _ = select.select(watched, [], [])
            for fd in ready:
                if fd in self.children:
                    self._report_exit(fd)
            if self.sock.fileno() in ready and not self._handle():
                break
        for pidfd in list(self.children):
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            self._report_exit(pidfd)

    def _handle(self) -> bool:
        data, fds, _, _ = socket.recv_fds(self.sock, MESSAGE_BYTES, CHILD_FDS)
        if not data:
            return False  # the trusted side is gone
        message = json.loads(data)
        if message["t"] == "start" and len(fds) == CHILD_FDS:
            self._start(message, fds)
        elif message["t"] == "modules":
            self._send({"t": "modules", "modules": sorted(sys.modules)})
        for fd in fds:
            os.close(fd)
        return True

    def _start(self, message: dict[str, Any], fds: list[int]) -> None:
        plan = isolation.Plan(
            mode=self.mode,
            uid=self.uid,
            limits=Limits.from_json(message["limits"]),
            binds=self.binds,
            masks=self.masks,
            workdir=message.get("workdir") or "",
            landlock_abi=self.landlock_abi,
            readable=self.readable,
        )
        try:
            pid = isolation.clone_child(isolation.namespace_flags(self.mode))
        except OSError as exc:
            self._send({"t": "failed", "error": str(exc)})
            return
        if pid == 0:
            try:
                _arrange_fds(fds)
                from gdgrade.sandbox import child

                child.run(plan)
            finally:
                os._exit(70)
        pidfd = os.pidfd_open(pid)
        self.children[pidfd] = pid
        self._send({"t": "started", "pid": pid}, [pidfd])

    def _report_exit(self, pidfd: int) -> None:
        pid = self.children.pop(pidfd)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = -1
        os.close(pidfd)
        self._send({"t": "exit", "pid": pid, "status": status})

    def _send(self, message: dict[str, Any], fds: list[int] | None = None) -> None:
        data = json.dumps(message).encode()
        try:
            if fds:
                socket.send_fds(self.sock, [data], fds)
            else:
                self.sock.send(data)
        except OSError:
            pass  # the trusted side is gone; the loop ends at its EOF


def _arrange_fds(fds: list[int]) -> None:
    """0 = /dev/null, 1 and 2 = output pipe, 3 = requests, 4 = results, 5 = progress;
    every other descriptor of the zygote (its socket, other pidfds) is closed."""
    import fcntl  # POSIX only (the zygote has it loaded): so that this package imports everywhere

    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 100) for fd in fds]
    request, result, output, progress = high
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.dup2(request, 3)
    os.dup2(result, 4)
    os.dup2(progress, 5)
    os.closerange(6, 1 << 16)
