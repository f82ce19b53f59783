"""Landlock: a file-system allow-list for the child where no mount namespace exists.

Without namespaces (containers that run as root but may not create them, or a kernel
without user namespaces), the child sees the host's file system with the permissions of
its uid, and much of what the grader carries is world-readable: the checkout with the
reference solutions, an installed gdgrade in site-packages, other submissions, /proc
(where the grader's command line may name the seed). Landlock (Linux >= 5.13) lets an
unprivileged process give up access to every path outside a list, for itself and its
descendants, irrevocably. The child keeps read access to the system, the interpreter
and the packages it may import (minus the grader's own directories), its devices, and
full access to its private working directory: nothing else opens.

Python has no binding: the three syscalls are called through ctypes. The ruleset is
built before the uid drop (afterwards, paths under a 0700 home could not be opened) and
enforced after PR_SET_NO_NEW_PRIVS, which Landlock requires.
"""

from __future__ import annotations

import ctypes
import os
import platform
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# landlock_create_ruleset, landlock_add_rule, landlock_restrict_self (same number on
# every architecture that has them, from the generic syscall table)
_SYSCALLS = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE = 1 << 0
WRITE_FILE = 1 << 1
READ_FILE = 1 << 2
READ_DIR = 1 << 3
TRUNCATE = 1 << 14  # ABI 3
IOCTL_DEV = 1 << 15  # ABI 5
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV  # valid on a file
READ = EXECUTE | READ_FILE | READ_DIR
DEVICE = READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1  # ABI 4
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1  # ABI 6

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class LandlockError(OSError):
    """The ruleset could not be built or enforced."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # __attribute__((packed)) in the kernel's header
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


@dataclass(frozen=True)
class Rule:
    """`path` and everything beneath it may be accessed with `access` (Landlock bits)."""

    path: str
    access: int


def abi_version() -> int:
    """The Landlock ABI this kernel offers; 0 if it has none (or it is disabled)."""
    numbers = _SYSCALLS.get(platform.machine())
    if numbers is None:
        return 0
    version = _libc.syscall(numbers[0], None, ctypes.c_size_t(0), CREATE_RULESET_VERSION)
    return max(int(version), 0)


def handled_fs(abi: int) -> int:
    """Every file-system right this ABI knows: each is denied unless a rule grants it."""
    rights = (1 << 13) - 1  # ABI 1: execute ... make_sym
    if abi >= 2:
        rights |= 1 << 13  # refer (link or rename across directories)
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


class Ruleset:
    """An allow-list under construction; `enforce` makes it binding on this process."""

    def __init__(self, abi: int) -> None:
        numbers = _SYSCALLS.get(platform.machine())
        if abi < 1 or numbers is None:
            raise LandlockError(0, "Landlock is not available")
        self.abi = abi
        self.handled = handled_fs(abi)
        self._add, self._restrict = numbers[1], numbers[2]
        attr = _RulesetAttr(self.handled, 0, 0)
        size = 8
        if abi >= 4:  # no TCP bind or connect: there is no network namespace here
            attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP
            size = 16
        if abi >= 6:  # no signals to, or abstract sockets of, processes outside
            attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
            size = 24
        fd = _libc.syscall(numbers[0], ctypes.byref(attr), ctypes.c_size_t(size), 0)
        if fd < 0:
            err = ctypes.get_errno()
            raise LandlockError(err, f"landlock_create_ruleset: {os.strerror(err)}")
        self.fd = int(fd)

    def allow(self, rule: Rule) -> bool:
        """Add one rule; False if its path does not exist (nothing to allow)."""
        try:
            target = os.open(rule.path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return False
        try:
            access = rule.access & self.handled
            if not stat.S_ISDIR(os.fstat(target).st_mode):
                access &= FILE_RIGHTS
            attr = _PathBeneathAttr(access, target)
            result = _libc.syscall(self._add, self.fd, RULE_PATH_BENEATH, ctypes.byref(attr), 0)
            if result != 0:
                err = ctypes.get_errno()
                raise LandlockError(err, f"landlock_add_rule {rule.path}: {os.strerror(err)}")
        finally:
            os.close(target)
        return True

    def enforce(self) -> None:
        """Binding from now on for this process and every process it starts."""
        try:
            if _libc.syscall(self._restrict, self.fd, 0) != 0:
                err = ctypes.get_errno()
                raise LandlockError(err, f"landlock_restrict_self: {os.strerror(err)}")
        finally:
            self.close()

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def readable_rules(paths: Iterable[str], hidden: Sequence[str]) -> list[Rule]:
    """Read rules for `paths`, leaving out everything in `hidden`.

    Landlock grants whole trees, so a path that holds a hidden one (site-packages with
    an installed gdgrade in it) is split: its entries are granted one by one, and the
    directory itself only for listing (the import system needs the names; the hidden
    directories' files stay closed). Paths are resolved first, so a symlink into a
    hidden tree is recognised.
    """
    secret = [os.path.realpath(h) for h in hidden]
    rules: dict[str, Rule] = {}

    def inside(path: str, root: str) -> bool:
        return path == root or path.startswith(root.rstrip("/") + "/")

    def add(path: str, depth: int) -> None:
        real = os.path.realpath(path)
        if not os.path.exists(real) or any(inside(real, s) for s in secret):
            return
        if not any(inside(s, real) for s in secret):
            rules[real] = Rule(real, READ)
            return
        rules.setdefault(real, Rule(real, READ_DIR))
        if depth > 32:
            return
        try:
            entries = sorted(os.listdir(real))
        except OSError:
            return
        for name in entries:
            add(os.path.join(real, name), depth + 1)

    for path in paths:
        add(path, 0)
    return list(rules.values())
