"""Attack: change files outside the working directory: delete, overwrite, chmod, rename
a file the grader owns, and remove its directory."""

import os
import shutil
from pathlib import Path

TARGET_DIR = "__SENTINEL_DIR__"


def numerical_derivative(f, x, h=1e-5):
    sentinel = Path(TARGET_DIR) / "sentinel.txt"
    attempts = [
        lambda: sentinel.write_text("overwritten"),
        lambda: os.chmod(sentinel, 0o777),
        lambda: os.rename(sentinel, sentinel.with_suffix(".moved")),
        lambda: os.remove(sentinel),
        lambda: os.symlink("/etc/passwd", Path(TARGET_DIR) / "link"),
        lambda: shutil.rmtree(TARGET_DIR),
        lambda: Path("/usr/lib/gdgrade-hostile").write_text("x"),
    ]
    done = []
    for number, attempt in enumerate(attempts):
        try:
            attempt()
            done.append(number)
        except OSError:
            pass
    Path("mine.txt").write_text("my own working directory is fine")
    return done


def gradient_step(x, grad, learning_rate):
    return x - learning_rate * grad
