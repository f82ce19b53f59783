"""A student's output never shows the grader's own paths or its libraries' chatter: numpy's
warnings name their module (numpy/...) not the grader's Python folder, and fontconfig's
"Fontconfig error" lines are dropped; the student's own printing stays as it was."""

from __future__ import annotations

import subprocess
import sys
import sysconfig

from grader.host_noise import scrub

SITE = sysconfig.get_paths()["purelib"]

NOISY = """
import os
import numpy as np

os.write(2, b"Fontconfig error: Cannot load default config file\\n")


def gradient_step(x, grad, learning_rate):
    print("step", x)
    np.mean(np.array([]))  # RuntimeWarning: Mean of empty slice
    return x - learning_rate * grad
"""


def test_scrub_shortens_library_paths_and_drops_fontconfig_lines():
    warning = f"{SITE}/numpy/_core/_methods.py:142: RuntimeWarning: invalid value\n"
    printed = "x = 1\nFontconfig error: Cannot load default config file\n" + warning
    assert scrub(printed) == "x = 1\nnumpy/_core/_methods.py:142: RuntimeWarning: invalid value\n"
    assert scrub("/home/student/data.csv not found\n") == "/home/student/data.csv not found\n"


def test_graded_report_shows_no_host_path_or_fontconfig_line(tmp_path):
    source = tmp_path / "noisy.py"
    source.write_text(NOISY, encoding="utf-8")
    command = [sys.executable, "-m", "grader", "grade", str(source), "--exercise", "gradient_step"]
    ran = subprocess.run([*command, "--lang", "en", "--seed", "7"], capture_output=True, text=True)
    shown = ran.stdout + ran.stderr
    assert "step" in shown and "RuntimeWarning" in shown  # the student's output is kept
    assert SITE not in shown and sys.prefix + "/" not in shown
    assert "Fontconfig" not in shown
