"""Every human-readable string comes from one catalogue per language (gdgrade/locale/*.json)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("ko", "en")
DEFAULT_LANG = "ko"


@cache
def catalogue(lang: str) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (choose from {', '.join(LANGUAGES)})")
    path = resources.files("gdgrade") / "locale" / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def text(lang: str, *keys: str, **params: Any) -> str:
    """The string at keys (e.g. "mistakes", "sequential_update", "title"), formatted."""
    node: Any = catalogue(lang)
    for key in keys:
        node = node[key]
    return node.format(**params) if params else node
