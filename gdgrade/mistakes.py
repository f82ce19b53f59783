"""The mistake ids gdgrade reports (stable: TAs count by them) and which are not mistakes."""

from __future__ import annotations

from typing import Literal

Severity = Literal["mistake", "info"]

# Accepted styles: reported so the student learns which scheme they used, never penalised.
INFO_IDS = frozenset(
    {"forward_difference", "backward_difference", "central_difference", "restored_input"}
)

# Deviations from the rng protocol: the result is still judged on the loss it reaches.
RNG_IDS = frozenset({"no_shuffle", "shuffle_once", "ignores_rng", "with_replacement"})


def severity(mistake_id: str) -> Severity:
    return "info" if mistake_id in INFO_IDS else "mistake"
