"""Exercises declared whole in their own folder: `exercises/NN_id/definition.py`.

An exercise is one folder. Its `exercise.json` is the registry entry (the contract, points,
tolerance, title, picture) and ships to students; its `definition.py` holds what only the
instructor has, next to it:
- the reference function, decorated `@correct(id)`, and each known mistake, decorated
  `@variant(id, mistake_id)` (from reference.registry);
- `PUBLIC_CASES`: a function returning the public calls (a list of `cases.CaseInput`);
- `HIDDEN_CASES`: a generator function of a numpy Generator yielding `(slug, args, tags)`;
- `EXAMPLE`: the worked example of its statements (`examples.Example`).
The nine exercises of the course predate this and keep the same four things in the topic
modules (reference/, exercises/case_inputs.py, grader/hidden_cases.py,
exercises/examples.py); each of those tables takes the folder's declarations for an
exercise it does not list itself.
docs/adding-an-exercise.md walks through one.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from gdgrade.contract import BY_NAME, EXERCISE_IDS, data_root

FILE_NAME = "definition.py"


def _load(exercise: str, path: Path) -> ModuleType:
    name = f"exercise_definition_{exercise}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def definitions() -> dict[str, ModuleType]:
    """Every exercise folder's definition.py, imported once (which registers its functions)."""
    root = Path(str(data_root()))
    found = {}
    for exercise in EXERCISE_IDS:
        path = root / BY_NAME[exercise].folder / FILE_NAME
        if path.is_file():
            found[exercise] = _load(exercise, path)
    return found


def fill(table: MutableMapping[str, Any], name: str) -> None:
    """Give `table` the folders' declaration `name` (`PUBLIC_CASES`, `HIDDEN_CASES`,
    `EXAMPLE`) for every exercise it does not list itself."""
    for exercise, module in definitions().items():
        if hasattr(module, name):
            table.setdefault(exercise, getattr(module, name))
