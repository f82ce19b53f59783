"""Where gdgrade keeps what it computed once, for its user alone: GDGRADE_CACHE_DIR, else
$XDG_CACHE_HOME/gdgrade, else ~/.cache/gdgrade. It is made private (0700); the sandbox
hides it from student code."""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_ENV = "GDGRADE_CACHE_DIR"


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gdgrade"


def private_cache_dir() -> Path | None:
    """`cache_dir()`, made if missing, or None unless it is a folder of ours that no one
    else may write to (what is read back from it is trusted)."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder
