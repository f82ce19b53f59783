"""Normalised tokens and their winnowed k-gram fingerprints (Schleimer, Wilkerson and Aiken,
"Winnowing: local algorithms for document fingerprinting", SIGMOD 2003; what MOSS does).

Normalising makes the cheap disguises invisible: comments, docstrings, blank lines and
spacing are dropped, and every identifier the student chose becomes `V`. Keywords,
operators, numbers, attribute names (`.shape`, `np.zeros`) and builtins are kept, since they
are what distinguishes one way of writing a function from another.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import tokenize
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from grader.similarity.units import Unit

K = 5  # tokens per k-gram
WINDOW = 4  # winnowing window: every shared run of K + WINDOW - 1 tokens is found
KEPT_NAMES = frozenset(dir(builtins)) | frozenset({"np", "numpy", "math", "random", "self"})
_SKIPPED = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
}


@dataclass(frozen=True)
class Tokens:
    texts: tuple[str, ...]  # normalised tokens, ';' ending each statement
    lines: tuple[tuple[int, int], ...]  # first and last source line of its statement


@dataclass(frozen=True)
class Fingerprints:
    """The selected k-gram hashes of one unit and where each k-gram starts (token index)."""

    tokens: Tokens
    selected: dict[int, tuple[int, ...]]  # hash -> token positions

    @property
    def hashes(self) -> frozenset[int]:
        return frozenset(self.selected)


def normalise(unit: Unit) -> Tokens:
    """The unit's statements, each printed canonically (`ast.unparse`: no comments, one
    spelling of spacing, quotes and parentheses) and tokenised with identifiers renamed.
    Docstrings and other bare strings are dropped."""
    statements = [
        (text, (first + offset, last + offset))
        for node, offset in unit.nodes
        for text, (first, last) in _statements([node])
    ]
    lexed = _lex_all([text for text, _ in statements if text not in _BRACES])
    texts: list[str] = []
    lines: list[Span] = []
    for text, span in statements:
        tokens = [text] if text in _BRACES else next(lexed)
        texts += tokens
        lines += [span] * len(tokens)
    return Tokens(tuple(texts), tuple(lines))


_BRACES = ("{", "}")


def _lex_all(statements: list[str]) -> Iterator[list[str]]:
    """Each statement's renamed tokens. One tokenizer pass over all of them, one per line
    (unparse prints a statement on one line); statement by statement if that fails."""
    joined = "\n".join(statements) + "\n"
    if joined.count("\n") == len(statements):
        rows: list[list[str]] = [[] for _ in statements]
        tokens = _tokens(joined)
        if tokens and tokens[-1].type == tokenize.ENDMARKER:
            for row, token in zip(_rows(tokens), _renamed(tokens), strict=True):
                rows[row - 1].append(token)
            yield from rows
            return
    for text in statements:
        yield _renamed(_tokens(text))


def _rows(tokens: list[tokenize.TokenInfo]) -> Iterator[int]:
    return (t.start[0] for t in tokens if t.type not in _SKIPPED)


Span = tuple[int, int]


def _statements(body: list[ast.stmt]) -> Iterator[tuple[str, Span]]:
    """(canonical text, source lines) of each statement in order; a block is '{' ... '}'."""
    for node in body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring, or a string used as a comment
        blocks = [(f, getattr(node, f)) for f in _BLOCKS if getattr(node, f, None)]
        if not blocks:
            yield _unparse(node) + " ;", (node.lineno, node.end_lineno or node.lineno)
            continue
        head = (node.lineno, node.lineno)
        yield _header(node) + " ;", head
        for field, block in blocks:
            if field != "body":
                yield f"{field} : ;", head
            if field == "handlers":
                for handler in block:
                    line = (handler.lineno, handler.lineno)
                    yield _unparse_handler(handler) + " ;", line
                    yield "{", line
                    yield from _statements(handler.body)
                    yield "}", line
                continue
            yield "{", head
            yield from _statements(block)
            yield "}", head


_BLOCKS = ("body", "handlers", "orelse", "finalbody")


def _header(node: ast.stmt) -> str:
    """The compound statement's first line without its block(s)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return f"def V ( {_unparse(node.args)} ) :"
    if isinstance(node, ast.For | ast.AsyncFor):
        return f"for {_unparse(node.target)} in {_unparse(node.iter)} :"
    if isinstance(node, ast.While):
        return f"while {_unparse(node.test)} :"
    if isinstance(node, ast.If):
        return f"if {_unparse(node.test)} :"
    if isinstance(node, ast.With | ast.AsyncWith):
        return "with " + " , ".join(_unparse(i) for i in node.items) + " :"
    return type(node).__name__.lower() + " :"


def _unparse_handler(handler: ast.ExceptHandler) -> str:
    return f"except {_unparse(handler.type) if handler.type else ''} :"


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, TypeError, RecursionError):
        return type(node).__name__


def _renamed(tokens: list[tokenize.TokenInfo]) -> list[str]:
    """Tokens of canonical statements; identifiers the student chose become V."""
    out: list[str] = []
    previous = ""
    for tok in tokens:
        if tok.type in _SKIPPED:
            continue
        if tok.type == tokenize.NAME:
            kept = keyword.iskeyword(tok.string) or tok.string in KEPT_NAMES or previous == "."
            out.append(tok.string if kept else "V")
        elif tok.type in (tokenize.NUMBER, tokenize.OP):
            out.append(tok.string)
        else:
            out.append("S")  # strings, f-strings
        previous = tok.string
    return out


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    found: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            found.append(tok)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # a header alone ("for x in y :") is not a complete statement: keep its tokens
    return found


def kgram_hashes(tokens: Tokens, k: int = K) -> list[int]:
    """A stable 32-bit hash (the same in every process, unlike hash()) of every k-gram that
    lies within one logical line, and of each whole line shorter than k. A k-gram never
    spans two statements, so swapping independent statements leaves the set unchanged."""
    hashes: list[int] = []
    for start, end in _lines(tokens.texts):
        line = tokens.texts[start:end]
        grams = [line[i : i + k] for i in range(max(1, len(line) - k + 1))]
        hashes += [zlib.crc32("\x1f".join(g).encode()) for g in grams]
    return hashes


def kgram_starts(tokens: Tokens, k: int = K) -> list[int]:
    """The token position where each of `kgram_hashes`'s k-grams starts."""
    starts: list[int] = []
    for start, end in _lines(tokens.texts):
        starts += [start + i for i in range(max(1, end - start - k + 1))]
    return starts


def _lines(texts: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each logical line's tokens, its ';' included; indent marks alone
    are not lines (they are part of the block's structure, not a statement)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, text in enumerate(texts):
        if text == ";":
            spans.append((start, i + 1))
            start = i + 1
        elif text in "{}" and start == i:
            start = i + 1
    if start < len(texts):
        spans.append((start, len(texts)))
    return spans


def winnow(hashes: list[int], window: int = WINDOW) -> dict[int, tuple[int, ...]]:
    """The minimum hash of every window (the rightmost on ties), with its positions."""
    selected: dict[int, list[int]] = {}
    if not hashes:
        return {}
    if len(hashes) <= window:
        windows = [range(len(hashes))]
    else:
        windows = [range(i, i + window) for i in range(len(hashes) - window + 1)]
    last = -1
    for positions in windows:
        best = min(positions, key=lambda p: (hashes[p], -p))
        if best != last:
            selected.setdefault(hashes[best], []).append(best)
            last = best
    return {h: tuple(p) for h, p in selected.items()}


def fingerprints(unit: Unit) -> Fingerprints:
    tokens = normalise(unit)
    hashes = kgram_hashes(tokens)
    starts = kgram_starts(tokens)
    chosen = winnow(hashes)
    return Fingerprints(tokens, {h: tuple(starts[p] for p in ps) for h, ps in chosen.items()})
