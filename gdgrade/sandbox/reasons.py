"""What the grader says about an outcome it made itself (a call that ran out of time, a
process that died, a notebook line that was not run): a catalogue key and its parameters,
never a sentence, so each report says it in its own language. CALL keys live in the "call"
section of gdgrade/locale/*.json, LOAD keys in its "load" section.

The tables list each key's parameters and their types. Keys and parameters that arrive
from the child are checked against them (`checked`): the child runs student code, so what
it sends may be anything, and a key the catalogue lacks or a parameter the text does not
expect must never reach `str.format`.
"""

from __future__ import annotations

from typing import Any

Params = dict[str, type]

CALL: dict[str, Params] = {
    "wall_limit": {"seconds": float},
    "budget_spent": {"seconds": float},
    "skipped_after_timeouts": {"count": int, "seconds": float},
    "cpu_limit": {"seconds": float, "signal": str},
    "killed": {"signal": str},
    "exited": {"code": int},
    "ended": {},
    "died": {},
    "malformed_result": {},
    "unreadable_return": {"error": str},
    "not_plain_data": {"type": str},
    "unreadable_object": {"type": str, "error": str},
    "not_encoded": {"error": str},
    "too_large": {"size": int},
    "not_reloaded": {},
    "wrote_into_channel": {},
}

LOAD: dict[str, Params] = {
    "load_limit": {"seconds": float},
    "budget_spent": {"seconds": float},
    "cpu_limit": {"seconds": float, "signal": str},
    "killed": {"signal": str},
    "exited": {"code": int},
    "died": {},
    "not_loaded": {},
    "wrote_into_channel": {},
    "system_exit": {"code": str},
    "not_a_function": {"name": str, "type": str},
    "no_code_cells": {},
    "cell_magic_not_run": {"magic": str},
    "cell_magic_removed": {"magic": str},
    "help_not_run": {"code": str},
    "value_replaced": {"code": str},
    "shell_not_run": {"code": str},
    "timed_once": {"code": str},
    "magic_not_run": {"magic": str},
    "get_ipython": {},
}

MAX_TEXT = 200  # a string parameter (a type name, an exception's text) is cut here


def checked(table: dict[str, Params], key: Any, params: Any) -> tuple[str, dict[str, Any]]:
    """(key, params) if `key` is in `table` and `params` are exactly its parameters, each of
    its type (an int stands for a float; strings are cut to MAX_TEXT); else ("", {})."""
    if not isinstance(key, str) or key not in table:
        return "", {}
    wanted = table[key]
    if not isinstance(params, dict) or set(params) != set(wanted):
        return "", {}
    clean: dict[str, Any] = {}
    for name, kind in wanted.items():
        value = params[name]
        if isinstance(value, bool):
            return "", {}
        if kind is float and isinstance(value, int | float):
            clean[name] = float(value)
        elif kind is int and isinstance(value, int):
            clean[name] = value
        elif kind is str and isinstance(value, str):
            clean[name] = value[:MAX_TEXT]
        else:
            return "", {}
    return key, clean
