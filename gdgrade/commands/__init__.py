"""One module per `gdgrade` subcommand: each defines `register(subparsers)` and `run(args)`."""

from __future__ import annotations

import argparse
import difflib

from gdgrade.contract import EXERCISE_IDS


def exercise_id(value: str) -> str:
    """An --exercise value: a known id, or an error naming the closest one (a typo)."""
    if value in EXERCISE_IDS:
        return value
    close = difflib.get_close_matches(value, EXERCISE_IDS, n=1, cutoff=0.5)
    hint = f": did you mean '{close[0]}'?" if close else ""
    known = ", ".join(EXERCISE_IDS)
    raise argparse.ArgumentTypeError(f"unknown exercise '{value}'{hint} (known: {known})")
