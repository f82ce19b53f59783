"""A CSV file a TA hands to a batch (roster, submission times, extensions): read whole, as
UTF-8 with or without the BOM spreadsheets write, every failure one line naming the file."""

from __future__ import annotations

import csv
from pathlib import Path


def read_rows(path: Path, what: str, error: type[Exception]) -> list[list[str]]:
    """Every row of `path` (a `what`: "roster", "extension file"); raises `error`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what} {path}: {exc}") from None
    return list(csv.reader(text.splitlines()))
