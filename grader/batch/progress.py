"""Progress of a batch: a tqdm bar (count, rate, ETA) on a terminal, plain lines otherwise.

Both go to standard error so that standard output stays clean for scripts. The plain log
says the same things in a form that reads well in CI logs and `tee` files.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from gdgrade.safe_text import display_id
from grader.batch.standings import score_text


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, bar: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        use_bar = self.stream.isatty() if bar is None else bar
        self._bar = None
        if use_bar and total:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total, file=self.stream, unit="sub", dynamic_ncols=True, smoothing=0.1
            )

    def update(self, student: str, status: str, score: float, max_score: float) -> None:
        self.done += 1
        line = f"{display_id(student)}: {score_text(score)}/{score_text(max_score)} {status}"
        if self._bar is not None:
            self._bar.set_postfix_str(line, refresh=False)
            self._bar.update(1)
            return
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        width = len(str(self.total))
        print(
            f"[{self.done:>{width}}/{self.total}] {line} ({rate:.2f}/s, eta {_clock(eta)})",
            file=self.stream,
            flush=True,
        )

    def note(self, message: str) -> None:
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _clock(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
