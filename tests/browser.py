"""Pages seen in a real browser: a small class graded by `gdgrade batch`, and headless
Chromium (the system's `chromium` and `chromedriver`, driven by selenium) to open its pages at
a phone's and a desktop's width. Shared by the browser tests and docs/screenshots/make.py.
Nothing is downloaded: where the browser or its driver is missing, `missing()` says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUBMISSIONS = Path(__file__).parent / "submissions"
PHONE, DESKTOP = 390, 1280
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)

# Student id -> the sample files that make up their submission (later definitions win, so a
# correct file followed by one with a mistake is a full submission with that one mistake).
CLASS = {
    "2024000001": ("correct/loops.py",),
    "2024000002": (
        "correct/vectorised.py",
        "gradient_descent/off_by_one_iterations.py",
        "sgd/no_shuffle.py",
    ),
    "2024000003": ("gradient_descent/off_by_one_iterations.py",),
    "2024000004": ("correct/vectorised.py",),
}
CORRECT, MISTAKES = "2024000001", "2024000002"


def _which(names: tuple[str, ...]) -> str | None:
    return next((path for path in map(shutil.which, names) if path), None)


def missing() -> str | None:
    """Why the pages cannot be opened here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if _which(BROWSERS) is None:
        return "no chromium on PATH (Debian: apt-get install chromium chromium-driver)"
    if _which(DRIVERS) is None:
        return "no chromedriver on PATH (Debian: apt-get install chromium-driver)"
    return None


def grade_class(folder: Path, out: Path) -> Path:
    """Grade the sample class with `gdgrade batch` into `out` (a sibling of `folder`, so the
    pages name the files as class/<id>.py, not by where they were made); returns `out`."""
    folder.mkdir(parents=True, exist_ok=True)
    for student, files in CLASS.items():
        source = "\n\n".join((SUBMISSIONS / f).read_text("utf-8") for f in files)
        (folder / f"{student}.py").write_text(source, encoding="utf-8")
    root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "grader", "batch", folder.name, "--out", out.name]
    ran = subprocess.run(
        [*command, "--seed", "7", "--lang", "ko"],
        capture_output=True,
        text=True,
        cwd=folder.parent,
        env=env,
    )
    if ran.returncode != 0:
        raise RuntimeError(f"gdgrade batch failed:\n{ran.stderr}")
    return folder.parent / out.name


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium (selenium WebDriver); call `show` to open a page at a width."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _which(BROWSERS) or ""
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--hide-scrollbars")
    # An explicit driver path: selenium never fetches a browser or driver of its own.
    driver = webdriver.Chrome(service=Service(executable_path=_which(DRIVERS)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def show(driver, page: Path, width: int, height: int = 900) -> None:
    """Open `page` in a viewport `width` px wide; a phone's (touch, device-width) below 600."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(page.resolve().as_uri())


def overflow(driver, width: int) -> int:
    """How many px the page is wider than the `width` px viewport (0 when it fits)."""
    wide = driver.execute_script(
        "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    )
    return max(0, int(wide) - width)


def screenshot(driver, page: Path, width: int, target: Path, most: int = 4000) -> None:
    """A PNG of `page` at `width`: the whole page, or its first `most` px when longer."""
    show(driver, page, width)
    tall = int(driver.execute_script("return document.documentElement.scrollHeight"))
    show(driver, page, width, min(tall, most))
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))


def final_scores(out: Path) -> dict[str, str]:
    """student -> final score, as grades.csv has it (the scores class.html must show)."""
    import csv

    with open(out / "grades.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return {row["student"]: row["final"] for row in rows}
