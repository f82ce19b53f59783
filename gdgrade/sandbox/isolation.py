"""Kernel isolation of the sandbox child, applied before any student code runs.

Python 3.11 has no os.unshare/os.mount/pivot_root, so the few syscalls needed are called
through ctypes. `clone_child` starts the submission process directly as pid 1 of fresh
pid, network, mount, IPC and UTS namespaces (plus a user namespace when not root);
`enter` then builds a minimal root file system (read-only binds of the system and the
interpreter, nothing of the grader), sets rlimits, drops to the sandbox uid (root) or
drops every capability (user namespace), and forbids privilege gain. Being pid 1 means
that when this process dies the kernel kills everything the submission started, and
that `kill(-1, SIGKILL)` from it kills all of its descendants but not itself.
"""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import stat
import sys
from dataclasses import dataclass
from typing import Literal

from gdgrade.sandbox import landlock, seccomp
from gdgrade.sandbox.limits import Limits

Mode = Literal["root", "userns", "none"]

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_NOATIME = 1024
MS_NODIRATIME = 2048
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MNT_DETACH = 2

PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

_SYSCALLS = {  # clone, pivot_root, capset
    "x86_64": (56, 155, 126),
    "aarch64": (220, 41, 91),
}

HOME = "/home/student"
# /etc entries the dynamic loader and the standard library read; the rest stays hidden.
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "passwd",
    "group",
    "nsswitch.conf",
    "hosts",
)
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
DEVICES = ("null", "zero", "full", "random", "urandom")

if sys.platform.startswith("linux"):  # elsewhere importable (constants, Plan), never used
    import resource

    _libc = ctypes.CDLL(None, use_errno=True)
    _pylibc = ctypes.PyDLL(None, use_errno=True)  # keeps the GIL across clone, as os.fork does
    _libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong]
    _libc.mount.argtypes += [ctypes.c_char_p]
    _libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
    _libc.unshare.argtypes = [ctypes.c_int]
    _libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    _libc.prctl.argtypes += [ctypes.c_ulong]
    _pylibc.syscall.restype = ctypes.c_long


class IsolationError(OSError):
    """A layer of isolation could not be applied; the child must not run student code."""


@dataclass(frozen=True)
class Plan:
    """Everything `enter` needs, decided by the zygote before it forks."""

    mode: Mode
    uid: int  # the sandbox uid (root mode); the caller's own uid otherwise
    limits: Limits
    binds: tuple[str, ...]  # host paths visible read-only at the same path
    masks: tuple[str, ...]  # paths under `binds` hidden behind an empty file system
    workdir: str = ""  # mode "none" only: a host directory made for this submission
    landlock_abi: int = 0  # mode "none" only: Landlock confines file access if > 0
    readable: tuple[landlock.Rule, ...] = ()  # mode "none" only: what Landlock lets it read


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise IsolationError(err, f"{what}: {os.strerror(err)}")


def _syscall_numbers() -> tuple[int, int, int]:
    machine = platform.machine()
    if machine not in _SYSCALLS:
        raise IsolationError(0, f"no syscall table for {machine}")
    return _SYSCALLS[machine]


def prctl(option: int, arg: int = 0) -> None:
    _check(_libc.prctl(option, arg, 0, 0, 0), f"prctl({option})")


def clone_child(flags: int) -> int:
    """fork(), but the child starts in new namespaces (pid 1 of a new pid namespace).

    Python's fork bookkeeping (PyOS_BeforeFork/AfterFork) wraps the raw syscall exactly
    as os.fork does, so the child is an ordinary Python process.
    """
    if flags == 0:
        return os.fork()
    number = _syscall_numbers()[0]
    api = ctypes.pythonapi
    api.PyOS_BeforeFork()
    pid = _pylibc.syscall(
        ctypes.c_long(number),
        ctypes.c_ulong(flags | signal.SIGCHLD),
        ctypes.c_void_p(0),
        ctypes.c_void_p(0),
        ctypes.c_void_p(0),
        ctypes.c_ulong(0),
    )
    if pid == 0:
        api.PyOS_AfterFork_Child()
        return 0
    err = ctypes.get_errno()
    api.PyOS_AfterFork_Parent()
    if pid < 0:
        raise IsolationError(err, f"clone: {os.strerror(err)}")
    return pid


def namespace_flags(mode: Mode) -> int:
    """Namespaces new for every submission process: pid (everything it starts dies with
    it) and mount (its private root file system, scratch space included)."""
    return 0 if mode == "none" else CLONE_NEWPID | CLONE_NEWNS


def confine_zygote(mode: Mode) -> None:
    """Namespaces the zygote enters once, shared by all its submission processes: an
    empty network namespace (no interface up: nothing to connect to), UTS and IPC.
    Per submission they would cost 1-3 ms each (their teardown waits for RCU); sharing
    them is safe because nothing a submission can leave in them survives it: its
    sockets die with its processes, and the seccomp filter refuses SysV IPC and POSIX
    message queues, the objects that would. Without root, also the user namespace in
    which the zygote holds the capabilities its children drop."""
    if mode == "none":
        return
    flags = CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC
    if mode == "userns":
        uid, gid = os.getuid(), os.getgid()
        _check(_libc.unshare(CLONE_NEWUSER | flags), "unshare")
        _map_user(uid, gid)
    else:
        _check(_libc.unshare(flags), "unshare")


def probe_mode() -> Mode:
    """The strongest isolation this process can set up: root, user namespaces, or none.

    Root is tried, not assumed: containers commonly run as root without the capability
    to create namespaces or mount (Docker's defaults), and there the sandbox must fall
    back instead of failing on every submission.
    """
    shared = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC
    if os.geteuid() == 0 and _can_clone(shared, mount_private=True):
        return "root"
    if _can_clone(CLONE_NEWUSER | shared, mount_private=False):
        return "userns"
    return "none"


def _can_clone(flags: int, mount_private: bool) -> bool:
    """Whether a child can start in these namespaces (and, if asked, remount there)."""
    try:
        pid = clone_child(flags)
    except OSError:
        return False
    if pid == 0:
        code = 0
        if mount_private:
            code = 0 if _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0 else 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def enter(plan: Plan) -> None:
    """Called in the fresh child, before student code: after it returns, the child is
    confined. Raises IsolationError if any layer fails (the caller must then exit)."""
    ruleset = None
    if plan.mode != "none":
        _build_root(plan)
    elif plan.landlock_abi > 0:
        ruleset = file_allow_list(plan)  # opened before the uid drop closes /root etc.
    os.setsid()
    drop_uid = plan.mode == "root" or (plan.mode == "none" and os.geteuid() == 0)
    _set_rlimits(plan.limits, nproc=drop_uid or plan.mode == "userns")
    if drop_uid:
        os.setgroups([])
        os.setresgid(plan.uid, plan.uid, plan.uid)
        os.setresuid(plan.uid, plan.uid, plan.uid)
    elif plan.mode == "userns":
        _drop_capabilities()
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after the uid change, which clears it
    os.chdir(HOME if plan.mode != "none" else plan.workdir)
    if ruleset is not None:
        ruleset.enforce()
    seccomp.install()


def file_allow_list(plan: Plan) -> landlock.Ruleset:
    """Without a mount namespace: the only paths the child may open. The system and the
    interpreter to read (minus the grader's directories), a few devices, and its own
    working directory; not /proc, /tmp, home directories, the grader's outputs or the
    submissions folder."""
    ruleset = landlock.Ruleset(plan.landlock_abi)
    try:
        for rule in plan.readable:
            ruleset.allow(rule)
        for name in DEVICES:
            ruleset.allow(landlock.Rule("/dev/" + name, landlock.DEVICE))
        if not ruleset.allow(landlock.Rule(plan.workdir, ruleset.handled)):
            raise IsolationError(0, f"no working directory {plan.workdir}")
    except BaseException:
        ruleset.close()
        raise
    return ruleset


def _map_user(uid: int, gid: int) -> None:
    """Identity-map our own uid/gid: the only mapping an unprivileged process may write."""
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _locked_flags(path: str) -> int:
    """Mount flags a remount must keep (a user namespace may not clear them)."""
    f = os.statvfs(path).f_flag
    table = (
        (os.ST_NOSUID, MS_NOSUID),
        (os.ST_NODEV, MS_NODEV),
        (os.ST_NOEXEC, MS_NOEXEC),
        (os.ST_NOATIME, MS_NOATIME),
        (os.ST_NODIRATIME, MS_NODIRATIME),
        (os.ST_RELATIME, MS_RELATIME),
    )
    return sum(ms for st, ms in table if f & st)


def _build_root(plan: Plan) -> None:
    """A new root: a small tmpfs with read-only binds of the system and the interpreter.

    Sources are opened (O_PATH) before the tmpfs is mounted, and bound through
    /proc/self/fd, so a source that lies under the staging directory still resolves.
    After pivot_root the old root is detached: the repository, the reference, results
    directories and every other path are simply not there.
    """
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    sources = _bind_sources(plan.binds)
    fds = {path: os.open(path, os.O_PATH | os.O_CLOEXEC) for path in sources}
    flags = {path: _locked_flags(path) for path in sources}
    staging = "/tmp"
    size = plan.limits.file_size_mb
    mount("tmpfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size}m,nr_inodes=8192,mode=755")
    new = staging.rstrip("/")
    for path, fd in fds.items():
        target = new + path
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "w").close()
        mount(f"/proc/self/fd/{fd}", target, None, MS_BIND | MS_REC)
        os.close(fd)
        remount = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | flags[path]
        mount(None, target, None, remount)
    for link in SYSTEM_DIRS:  # merged /usr: /bin, /lib... are symlinks into /usr
        if os.path.islink(link):
            os.symlink(os.readlink(link), new + link)
    for path in plan.masks:
        _mask(new + path)
    _make_dev(new)
    os.makedirs(new + "/proc")
    try:
        mount("proc", new + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except IsolationError:
        if plan.mode == "root":
            raise  # a user namespace may be refused a new proc; then /proc stays empty
    for d, mode in (("/tmp", 0o1777), (HOME, 0o700)):
        os.makedirs(new + d, exist_ok=True)
        os.chmod(new + d, mode)
        if plan.mode == "root":
            os.chown(new + d, plan.uid, plan.uid)
    os.chdir(new)
    _check(_libc.syscall(_syscall_numbers()[1], b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "detach the old root")
    os.chdir("/")


def _bind_sources(paths: tuple[str, ...]) -> list[str]:
    """Existing, non-symlink sources, outermost first, without ones already inside others."""
    real = sorted({p for p in paths if os.path.lexists(p) and not os.path.islink(p)})
    kept: list[str] = []
    for p in real:
        if not any(p == k or p.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(p)
    return kept


def _mask(target: str) -> None:
    if not os.path.lexists(target) or os.path.islink(target):
        return
    if os.path.isdir(target):
        mount("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=555")
    else:
        mount("/dev/null", target, None, MS_BIND)


def _make_dev(new: str) -> None:
    dev = new + "/dev"
    os.makedirs(dev + "/shm")
    os.chmod(dev + "/shm", 0o1777)
    for name in DEVICES:
        source = "/dev/" + name
        if os.path.exists(source) and stat.S_ISCHR(os.stat(source).st_mode):
            open(f"{dev}/{name}", "w").close()
            mount(source, f"{dev}/{name}", None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0")):
        os.symlink(target, f"{dev}/{name}")
    os.symlink("/proc/self/fd/1", dev + "/stdout")
    os.symlink("/proc/self/fd/2", dev + "/stderr")


def _set_rlimits(limits: Limits, nproc: bool) -> None:
    cpu = max(1, int(limits.cpu_s + 0.999))
    memory = limits.memory_mb * 1024 * 1024
    fsize = limits.file_size_mb * 1024 * 1024
    wanted = [
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_FSIZE, fsize, fsize),
        (resource.RLIMIT_NOFILE, limits.open_files, limits.open_files),
    ]
    if nproc:
        wanted.append((resource.RLIMIT_NPROC, limits.max_processes, limits.max_processes))
    for which, soft, hard in wanted:
        _, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:
            hard = min(hard, old_hard)
            soft = min(soft, hard)
        resource.setrlimit(which, (soft, hard))


def _drop_capabilities() -> None:
    """In a user namespace the child holds every capability there: give them all up."""
    cap = 0
    while _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0:
        cap += 1
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))

    class Data(ctypes.Structure):
        _fields_ = (
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        )

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (Data * 2)()
    _check(_libc.syscall(_syscall_numbers()[2], ctypes.byref(header), data), "capset")


def kill_descendants() -> None:
    """From pid 1 of the sandbox namespace: SIGKILL every other process in it, reap them.

    Repeats until none is left, so a fork bomb racing the kill cannot survive (the
    process limit bounds how many it can make). Only valid where this process is pid 1
    of its own pid namespace: elsewhere kill(-1) would reach the caller's other processes.
    """
    for _ in range(10_000):
        try:
            os.kill(-1, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            break
        try:
            os.waitpid(-1, 0)  # every other process descends from us: one will exit
        except ChildProcessError:
            break
    reap()


def reap() -> int:
    """Collect every exited child without blocking; returns how many."""
    count = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return count
        if pid == 0:
            return count
        count += 1
