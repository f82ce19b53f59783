"""The student contract as data: the names, parameters and order the statements give, and
what each function returns, read from the one place an exercise is declared — its folder's
`exercise.json` (in the source tree `exercises/NN_name/`, installed as `gdgrade.exercises`).

Everything that lists exercises derives from here: the sandbox names the call counters
after the parameters, the comparison knows which results are paths, the pictures find the
start by name, the reports list exercises in this order. Adding an exercise is adding a
folder (docs/adding-an-exercise.md).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

DATA_PACKAGE = "gdgrade.exercises"
PICTURES = ("descent", "momentum", "loss")  # what the HTML report can draw for a path


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[str, ...]
    returns: tuple[str, ...] = ()  # names of the returned parts ("x_opt", ...); () = one value
    number: int = 0
    path_part: str | None = None  # the returned part that is a path of iterates
    start: str | None = None  # the parameter the iterates start from (x0, w0)
    picture: str | None = None  # one of PICTURES: how the report draws the path

    @property
    def folder(self) -> str:
        return f"{self.number:02d}_{self.name}"

    @property
    def start_index(self) -> int | None:
        """Position of the start among the arguments."""
        return self.params.index(self.start) if self.start else None

    @property
    def path_index(self) -> int | None:
        """Position of the path in the returned tuple; None when the path is the result."""
        if self.path_part is None or not self.returns:
            return None
        return self.returns.index(self.path_part)


def parameters(signature: str) -> tuple[str, ...]:
    """`def f(a, b, h=1e-5)` -> ("a", "b", "h")."""
    (function,) = ast.parse(signature.strip() + ": ...").body
    assert isinstance(function, ast.FunctionDef)
    return tuple(a.arg for a in function.args.args)


def from_json(data: dict[str, Any]) -> Signature:
    """One exercise.json's contract; refuses a declaration that contradicts itself."""
    returns = tuple(data.get("returns", ()))
    signature = Signature(
        name=data["id"],
        params=parameters(data["signature"]),
        returns=returns,
        number=int(data["number"]),
        path_part=data.get("path"),
        start=data.get("start"),
        picture=data.get("picture"),
    )
    if not data["signature"].startswith(f"def {signature.name}("):
        raise ValueError(f"{signature.name}: the signature names another function")
    if signature.path_part and returns and signature.path_part not in returns:
        raise ValueError(f"{signature.name}: path {signature.path_part!r} is not returned")
    if signature.start and signature.start not in signature.params:
        raise ValueError(f"{signature.name}: start {signature.start!r} is not a parameter")
    if signature.picture is not None and signature.picture not in PICTURES:
        raise ValueError(f"{signature.name}: unknown picture {signature.picture!r}")
    return signature


def data_root() -> Any:
    """The exercise folders: the installed data package, or in a source checkout run without
    its install hooks (the sandbox's zygote starts with a bare sys.path, where an editable
    install's mapping of gdgrade.exercises to `exercises/` does not exist) that folder."""
    try:
        return resources.files(DATA_PACKAGE)
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parents[1] / "exercises"
        if checkout.is_dir():
            return checkout
        raise


def _declared() -> tuple[Signature, ...]:
    found = []
    for folder in data_root().iterdir():
        declaration = folder / "exercise.json"
        if declaration.is_file():
            signature = from_json(json.loads(declaration.read_text(encoding="utf-8")))
            if signature.folder != folder.name:
                raise ValueError(f"{folder.name}: the folder must be named {signature.folder}")
            found.append(signature)
    found.sort(key=lambda s: s.number)
    numbers = [s.number for s in found]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"two exercises share a number: {numbers}")
    return tuple(found)


SIGNATURES: tuple[Signature, ...] = _declared()
BY_NAME: dict[str, Signature] = {s.name: s for s in SIGNATURES}
EXERCISE_IDS: tuple[str, ...] = tuple(s.name for s in SIGNATURES)
