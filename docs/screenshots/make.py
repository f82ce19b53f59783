"""Screenshots of the pages `gdgrade batch` writes, as students and TAs see them.

    python docs/screenshots/make.py [OUT]

Grades a small sample class (tests/submissions) and writes PNGs at a phone's width (390 px)
and a desktop's (1280 px) of class.html, a correct report and a report with mistakes into
docs/screenshots/ (or OUT). Needs chromium and chromedriver on PATH (Debian: apt-get install
chromium chromium-driver fonts-noto-cjk) and selenium (pip install -e '.[test]')."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path(__file__).parent
    why = browser.missing()
    if why:
        print(f"make.py: cannot take screenshots: {why}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = browser.grade_class(Path(tmp) / "class", Path(tmp) / "out")
        pages = {
            "class": out / "class.html",
            "report-correct": out / "reports" / f"{browser.CORRECT}.html",
            "report-mistakes": out / "reports" / f"{browser.MISTAKES}.html",
        }
        with browser.chromium() as driver:
            for name, page in pages.items():
                for width in (browser.PHONE, browser.DESKTOP):
                    png = target / f"{name}-{width}.png"
                    browser.screenshot(driver, page, width, png)
                    print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
