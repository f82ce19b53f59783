"""Exact derivatives of the test functions, over their small grammar, without sympy.

A test function is text in a closed grammar: numbers, the variable `x` (or `x0 .. x{n-1}`),
`+ - * /`, `**` with a numeric exponent, unary minus, `exp sin cos log sqrt`, parentheses.
Python's own parser reads the text; a walk over its tree keeps what the grammar allows and
refuses the rest with one clear line (ExpressionError), never guessing.

Differentiation applies the textbook rules, and builds its result through constructors
that simplify lightly, so that a derivative shown to a student reads as one would write it:
no `*1` or `+ 0`, numeric factors folded into one leading coefficient, like terms and
numeric terms combined, equal factors merged into a power. A folded float within two units
in the last place of a number of 15 significant digits is written as that number, as a
reader of decimal coefficients expects (0.35*0.29 gives 0.1015, not 0.10149999999999999):
no further from the exact product than its own rounding.

Printing is faithful: the printed text parses back to the same tree, so Python evaluates it
in exactly the order the tree says. `to_text` prints the grammar itself (what a case file
shows); `to_numpy` prints the source the sandbox child compiles, with `numpy.` before each
function.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Union

FUNCTIONS = ("exp", "sin", "cos", "log", "sqrt")
GRAMMAR = "numbers, the variables, + - * /, ** with a numeric exponent, " + ", ".join(FUNCTIONS)
MAX_LENGTH = 10_000
_FOLDED_DIGITS = 15
_LARGEST_FOLDED_INT = 2**53
_LARGEST_INT = 2**63


class ExpressionError(ValueError):
    """Text outside the test functions' grammar."""


@dataclass(frozen=True)
class Num:
    value: int | float


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Neg:
    arg: Expr


@dataclass(frozen=True)
class Bin:
    op: str  # one of + - * / **
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    function: str  # one of FUNCTIONS
    arg: Expr


Expr = Union[Num, Var, Neg, Bin, Call]  # noqa: UP007  (a runtime alias, for Python 3.10)
ZERO = Num(0)
ONE = Num(1)


# --- reading -------------------------------------------------------------------------

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


def parse(text: str, variables: Iterable[str]) -> Expr:
    """The tree of `text`, an expression in `variables`; ExpressionError if it is not one
    of the grammar."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(f"a test function must be a non-empty string, not {text!r}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"a test function is limited to {MAX_LENGTH} characters")
    names = frozenset(variables)
    try:
        body = ast.parse(text.strip(), mode="eval").body
        return _read(body, names, text)
    except SyntaxError:
        raise ExpressionError(f"not a Python expression: {text!r}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"nested too deeply: {text[:60]!r}") from None


def _refuse(what: str, text: str) -> ExpressionError:
    return ExpressionError(f"{what} in test function {text!r}; allowed: {GRAMMAR}")


def _read(node: ast.expr, names: frozenset[str], text: str) -> Expr:
    if isinstance(node, ast.Constant):
        value = node.value
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _refuse(f"constant {value!r}", text)
        if not math.isfinite(value):
            raise _refuse(f"non-finite number {value!r}", text)
        if isinstance(value, int) and value > _LARGEST_INT:
            raise _refuse("too large an integer (write it as a float)", text)
        return Num(value)
    if isinstance(node, ast.Name):
        if node.id not in names:
            expected = ", ".join(sorted(names))
            raise _refuse(f"unknown name {node.id!r} (the variables are {expected})", text)
        return Var(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        operand = _read(node.operand, names, text)
        if isinstance(operand, Num) and operand.value != 0:
            return Num(-operand.value)  # negation is exact: "-3" is one number
        return Neg(operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        op = _OPERATORS[type(node.op)]
        left, right = _read(node.left, names, text), _read(node.right, names, text)
        if op == "**" and not _constant(right):
            raise _refuse("an exponent with a variable", text)
        tree = Bin(op, left, right)
        if _arithmetic(tree):
            try:
                _value(tree)
            except ExpressionError as wrong:
                raise _refuse(str(wrong), text) from None
        elif op == "/" and _zero(right):
            raise _refuse("division by zero", text)
        return tree
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            raise _refuse(f"call of {ast.unparse(node.func)!r}", text)
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise _refuse(f"{name}() with other than one argument", text)
        return Call(name, _read(node.args[0], names, text))
    raise _refuse(f"{type(node).__name__} {ast.unparse(node)!r}", text)


def _zero(e: Expr) -> bool:
    """Zero whatever the variables are: 0, 1 - 1, 0*x."""
    try:
        return _folded(e) == 0 or _monomial(e).coefficient == 0
    except ExpressionError:
        return True


def _arithmetic(e: Expr) -> bool:
    """Numbers and operators only: what Python, not numpy, evaluates."""
    if isinstance(e, Num):
        return True
    if isinstance(e, Neg):
        return _arithmetic(e.arg)
    return isinstance(e, Bin) and _arithmetic(e.left) and _arithmetic(e.right)


def _constant(e: Expr) -> bool:
    if isinstance(e, Num):
        return True
    if isinstance(e, Var):
        return False
    if isinstance(e, Neg | Call):
        return _constant(e.arg)
    return _constant(e.left) and _constant(e.right)


def _folded(e: Expr) -> int | float | None:
    """The value of a tree of numbers and arithmetic, as Python computes it from the
    printed text, or None (a variable or a function in it, or no real finite value)."""
    try:
        return _value(e)
    except ExpressionError:
        return None


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


def _value(e: Expr) -> int | float:
    """What Python makes of a tree of numbers: the sandbox evaluates a number's arithmetic
    with Python's numbers, not numpy's, so 1/0, (-1)**0.5 or 10**10**10 would fail or
    hang there; each is refused here instead."""
    if isinstance(e, Num):
        return e.value
    if isinstance(e, Neg):
        return -_value(e.arg)
    if not isinstance(e, Bin):
        raise ExpressionError("not a number")
    a, b = _value(e.left), _value(e.right)
    huge = isinstance(a, int) and isinstance(b, int) and b > 0 and b * abs(a).bit_length() > 64
    if e.op == "**" and huge and abs(a) > 1:
        raise ExpressionError(f"too large a power of an integer: {a}**{b}")
    try:
        result = _ARITHMETIC[e.op](a, b)
    except ZeroDivisionError:
        raise ExpressionError("division by zero") from None
    except OverflowError:
        raise ExpressionError("a number overflows") from None
    if not isinstance(result, int | float):
        raise ExpressionError(f"no real value: {a!r}**{b!r}")
    if isinstance(result, int) and abs(result) > _LARGEST_INT:
        raise ExpressionError("too large an integer")
    return result


# --- building, lightly simplified ----------------------------------------------------


def _number(value: int | float | None) -> Num | None:
    """A folded constant as a Num, or None where it is no readable finite number.

    A float within two units in the last place of a number of 15 significant digits is
    that number (0.35*0.29 gives 0.1015, not 0.10149999999999999); any other keeps
    every digit."""
    if value is None:
        return None
    if isinstance(value, int):
        return Num(value) if abs(value) <= _LARGEST_FOLDED_INT else None
    if not math.isfinite(value):
        return None
    short = float(f"{value:.{_FOLDED_DIGITS}g}")
    return Num(short if abs(short - value) <= 2 * math.ulp(value) else value)


def _is(e: Expr, value: int) -> bool:
    return isinstance(e, Num) and e.value == value


@dataclass(frozen=True)
class _Monomial:
    """coefficient * (numerator factors) / (divisor * denominator factors): the view of a
    product or quotient in which its numbers are folded. `divisor` keeps an integer
    division such as 1/3 exact and readable."""

    coefficient: int | float
    numerator: tuple[Expr, ...] = ()
    denominator: tuple[Expr, ...] = ()
    divisor: int = 1


def _monomial(e: Expr) -> _Monomial:
    if isinstance(e, Num):
        return _Monomial(e.value)
    if isinstance(e, Neg):
        m = _monomial(e.arg)
        return _Monomial(-m.coefficient, m.numerator, m.denominator, m.divisor)
    if isinstance(e, Bin) and e.op == "*":
        return _product(_monomial(e.left), _monomial(e.right))
    if isinstance(e, Bin) and e.op == "/":
        return _quotient(_monomial(e.left), _monomial(e.right))
    return _Monomial(1, (e,))


def _product(a: _Monomial, b: _Monomial) -> _Monomial:
    return _Monomial(
        a.coefficient * b.coefficient,
        a.numerator + b.numerator,
        a.denominator + b.denominator,
        a.divisor * b.divisor,
    )


def _quotient(a: _Monomial, b: _Monomial) -> _Monomial:
    if b.coefficient == 0:
        raise ExpressionError("division by zero")
    coefficient, divisor = a.coefficient * b.divisor, a.divisor
    if isinstance(b.coefficient, int):
        divisor *= b.coefficient
    else:
        coefficient /= b.coefficient
    return _Monomial(coefficient, a.numerator + b.denominator, a.denominator + b.numerator, divisor)


def _grouped(factors: tuple[Expr, ...]) -> tuple[Expr, ...]:
    """Equal bases with positive integer exponents merged: x*x -> x**2, x*x**2 -> x**3
    (no cancellation, which could change where the function is defined)."""
    exponents: dict[Expr, int] = {}
    order: list[tuple[Expr, bool]] = []  # (factor or base, whether its exponent merges)
    for f in factors:
        base: Expr = f
        k: int | float = 1
        if isinstance(f, Bin) and f.op == "**" and isinstance(f.right, Num):  # a power
            base, k = f.left, f.right.value
        if not (isinstance(k, int) and k > 0):
            order.append((f, False))
        elif base in exponents:
            exponents[base] += k
        else:
            order.append((base, True))
            exponents[base] = k
    return tuple(
        Bin("**", f, Num(exponents[f])) if merges and exponents[f] > 1 else f for f, merges in order
    )


def _factors(leading: Expr | None, factors: tuple[Expr, ...]) -> Expr | None:
    """leading*f1*f2*..., left-associated as it prints."""
    out = leading
    for f in _grouped(factors):
        out = f if out is None else Bin("*", out, f)
    return out


def _built(m: _Monomial) -> Expr | None:
    """The monomial as a tree: the coefficient leading, one division at most; None when
    its numbers do not fold to finite ones."""
    coefficient, divisor = m.coefficient, m.divisor
    if divisor < 0:
        coefficient, divisor = -coefficient, -divisor
    if isinstance(coefficient, float):
        coefficient, divisor = coefficient / divisor, 1
    else:
        common = math.gcd(coefficient, divisor)
        coefficient, divisor = coefficient // common, divisor // common
    number = _number(coefficient)
    if number is None or abs(divisor) > _LARGEST_FOLDED_INT:
        return None
    if number.value == 0:
        return ZERO
    c = abs(number.value)
    top = _factors(Num(c) if c != 1 or not m.numerator else None, m.numerator)
    bottom = _factors(Num(divisor) if divisor != 1 else None, m.denominator)
    assert top is not None
    out = top if bottom is None else Bin("/", top, bottom)
    return Neg(out) if number.value < 0 else out


def neg(e: Expr) -> Expr:
    if isinstance(e, Num):
        return Num(-e.value) if e.value != 0 else ZERO
    if isinstance(e, Neg):
        return e.arg
    if isinstance(e, Bin) and e.op == "-":
        return Bin("-", e.right, e.left)
    return Neg(e)


def mul(a: Expr, b: Expr) -> Expr:
    return _built(_product(_monomial(a), _monomial(b))) or Bin("*", a, b)


def div(a: Expr, b: Expr) -> Expr:
    return _built(_quotient(_monomial(a), _monomial(b))) or Bin("/", a, b)


def _sum(terms: Iterable[tuple[int, Expr]]) -> Expr:
    """±t1 ± t2 ± ...: like terms combined (2*x + x -> 3*x), zeros dropped, numbers folded
    into one trailing constant, a term with a negative coefficient subtracted."""
    totals: dict[tuple[tuple[Expr, ...], tuple[Expr, ...], int], int | float] = {}

    def gather(sign: int, e: Expr) -> None:
        if isinstance(e, Bin) and e.op in "+-":
            gather(sign, e.left)
            gather(sign if e.op == "+" else -sign, e.right)
        elif isinstance(e, Neg):
            gather(-sign, e.arg)
        else:
            m = _monomial(e)
            key = (m.numerator, m.denominator, m.divisor)
            totals[key] = totals.get(key, 0) + sign * m.coefficient

    for sign, e in terms:
        gather(sign, e)
    pieces: list[tuple[int, Expr]] = []
    numbers_last = sorted(totals, key=lambda k: not (k[0] or k[1]))  # stable
    for key in numbers_last:
        term = _built(_Monomial(totals[key], *key))
        if term is None:
            raise ExpressionError("a term of a derivative overflows")
        if isinstance(term, Neg):
            pieces.append((-1, term.arg))
        elif isinstance(term, Num) and term.value < 0:
            pieces.append((-1, Num(-term.value)))
        elif not _is(term, 0):
            pieces.append((1, term))
    if not pieces:
        return ZERO
    sign, out = pieces[0]
    out = neg(out) if sign < 0 else out
    for sign, term in pieces[1:]:
        out = Bin("+" if sign > 0 else "-", out, term)
    return out


def add(a: Expr, b: Expr) -> Expr:
    return _sum(((1, a), (1, b)))


def sub(a: Expr, b: Expr) -> Expr:
    return _sum(((1, a), (-1, b)))


def power(base: Expr, exponent: Expr) -> Expr:
    value = _folded(exponent)
    if value is None:
        return Bin("**", base, exponent)
    if value == 0:
        return ONE
    if value == 1:
        return base
    exponent = _number(value) or exponent
    if isinstance(base, Bin) and base.op == "**" and isinstance(base.right, Num):
        inner = base.right.value
        if _positive_int(inner) and _positive_int(value):
            return Bin("**", base.left, Num(inner * value))  # (u**2)**2 -> u**4
    return _number(_folded(Bin("**", base, exponent))) or Bin("**", base, exponent)


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and value > 0


# --- differentiation -----------------------------------------------------------------


def derivative(e: Expr, variable: str) -> Expr:
    """d e / d variable, exactly, lightly simplified."""

    def d(u: Expr) -> Expr:
        return derivative(u, variable)

    if isinstance(e, Num):
        return ZERO
    if isinstance(e, Var):
        return ONE if e.name == variable else ZERO
    if isinstance(e, Neg):
        return neg(d(e.arg))
    if isinstance(e, Call):
        u, du = e.arg, d(e.arg)
        if _is(du, 0):
            return ZERO
        if e.function == "exp":
            return mul(du, e)
        if e.function == "sin":
            return mul(du, Call("cos", u))
        if e.function == "cos":
            return neg(mul(du, Call("sin", u)))
        if e.function == "log":
            return div(du, u)
        return div(du, mul(Num(2), e))  # sqrt
    a, b = e.left, e.right
    if e.op == "+":
        return add(d(a), d(b))
    if e.op == "-":
        return sub(d(a), d(b))
    if e.op == "*":
        return add(mul(d(a), b), mul(a, d(b)))
    if e.op == "/":
        da, db = d(a), d(b)
        if _is(db, 0):
            return div(da, b)
        return div(sub(mul(da, b), mul(a, db)), power(b, Num(2)))
    # e.op == "**", the exponent a number (parse refuses any other)
    value = _folded(b)
    exponent = _number(value) if value is not None else None
    c = exponent or b
    return mul(mul(c, d(a)), power(a, sub(c, ONE)))


# --- printing ------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_UNARY, _POWER, _ATOM = 3, 4, 5


def _precedence(e: Expr) -> int:
    if isinstance(e, Num):
        return _UNARY if repr(e.value).startswith("-") else _ATOM  # -0.0 too
    if isinstance(e, Neg):  # -2*x reads as (-2)*x, which is the same number
        return 2 if _precedence(e.arg) == 2 else _UNARY
    if isinstance(e, Bin):
        return _POWER if e.op == "**" else _PRECEDENCE[e.op]
    return _ATOM


def _printed(e: Expr, prefix: str) -> str:
    def wrapped(u: Expr, parenthesise: bool) -> str:
        text = _printed(u, prefix)
        return f"({text})" if parenthesise else text

    if isinstance(e, Num):
        return repr(e.value)
    if isinstance(e, Var):
        return e.name
    if isinstance(e, Call):
        return f"{prefix}{e.function}({_printed(e.arg, prefix)})"
    if isinstance(e, Neg):
        inner = _printed(e.arg, prefix)
        return f"-({inner})" if _precedence(e.arg) == 1 or inner.startswith("-") else f"-{inner}"
    if e.op == "**":  # right-associative; the exponent always in parentheses unless atomic
        base = wrapped(e.left, _precedence(e.left) <= _POWER)
        return f"{base}**{wrapped(e.right, _precedence(e.right) < _ATOM)}"
    p = _PRECEDENCE[e.op]
    left = wrapped(e.left, _precedence(e.left) < p)
    right = wrapped(e.right, _precedence(e.right) <= p)
    return f"{left} {e.op} {right}" if p == 1 else f"{left}{e.op}{right}"


def to_text(e: Expr) -> str:
    """The expression in the grammar: what a case file stores and a student reads."""
    return _printed(e, "")


def to_numpy(e: Expr) -> str:
    """Python source over the `numpy` module, evaluated in the order of the tree."""
    return _printed(e, "numpy.")
