"""`gdgrade batch --feedback text` writes plain-text reports (the fast path for big classes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SUBMISSIONS = Path(__file__).parent / "submissions"


def test_text_feedback_writes_text_reports(tmp_path):
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    shutil.copy(SUBMISSIONS / "correct" / "vectorised.py", class_dir / "2024000001.py")
    shutil.copy(SUBMISSIONS / "any" / "raises.py", class_dir / "2024000002.py")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "grader", "batch", str(class_dir), "--out", str(out)]
    args += ["--feedback", "text", "--jobs", "1", "--exercise", "gradient_step", "--lang", "en"]
    done = subprocess.run([*args, "--progress", "lines"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    reports = sorted(p.name for p in (out / "reports").iterdir())
    assert reports == ["2024000001.txt", "2024000002.txt"]
    text = (out / "reports" / "2024000001.txt").read_text(encoding="utf-8")
    assert "gdgrade report" in text and "<html" not in text


def test_reports_name_the_file_inside_the_class_folder_never_by_the_tas_own_path(tmp_path):
    class_dir = tmp_path / "ta-home" / "hw3" / "class"
    class_dir.mkdir(parents=True)
    shutil.copy(SUBMISSIONS / "any" / "raises.py", class_dir / "2024000002.py")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "grader", "batch", str(class_dir), "--out", str(out)]
    args += ["--feedback", "text", "--jobs", "1", "--exercise", "gradient_step", "--lang", "en"]
    done = subprocess.run(
        [*args, "--progress", "lines", "--seed", "7"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    shown = [out / "reports" / "2024000002.txt", out / "results" / "2024000002.json"]
    for path in shown:
        text = path.read_text(encoding="utf-8")
        assert "class/2024000002.py" in text, path.name
        assert "ta-home" not in text and str(tmp_path) not in text, path.name
