"""`stated` blocks: a published document's figures and texts, each compared with the report's
figure at the precision it was printed with, and each failure located in the published document
(page, table or section, row, column, sentence)."""

from __future__ import annotations

from typing import Iterator, Optional

from . import ast
from .agreement import compare, rule_text
from .diagnostics import Diagnostic, Severity, error, warning
from .arithmetic import units_compatible
from .evaluated import Evaluated
from .expr_printer import render_expr
from .number_text import describe, figure, format_quantity
from .values import RATIO, Gap, Missing, Quantity, Value, printed

CODE = "RD308"


def stated_diagnostics(ev: Evaluated) -> Iterator[Diagnostic]:
    for block in ev.names.stated:
        judge = ev.under(block.rounding)
        for entry in block.entries:
            found = judge_entry(judge, block, entry)
            if found is not None:
                yield found


def judge_entry(ev: Evaluated, block: ast.Stated, entry: ast.StatedEntry) -> Optional[Diagnostic]:
    value = ev.eval(entry.expr, {})
    if isinstance(value, Missing) and value.kind in (Gap.FAILED, Gap.UNFILLED):
        return None  # reported where it is made
    literal = entry.literal
    if isinstance(literal, ast.Text):
        return _text(block, entry, literal.value, value)
    if isinstance(literal, ast.Blank):
        return _blank(block, entry, value)
    shown = stated_quantity(literal, ev.names.header.unit)
    if _zero_for_nothing(value, shown):
        return None
    if not isinstance(value, Quantity):
        return _fail(block, entry, render_literal(literal), _given(value), f"{describe(value)} cannot be compared with a figure")
    if not units_compatible(value, shown) or (value.is_ratio != shown.is_ratio and value.unit is not None):
        return _fail(block, entry, render_literal(literal), figure(value),
                     f"the report's figure is {_kind(value)}, the printed one {_kind(shown)}")
    verdict = compare("==", value, shown, ev.interval)
    if verdict.holds:
        return None
    return _fail(block, entry, render_literal(literal), figure(value),
                 rule_text(verdict, value if verdict.rule == "rounds to" else None), *_wrong_base(value, shown))


def _zero_for_nothing(value: Value, shown: Quantity) -> bool:
    """A printed 0.00 where the report has nothing to print (an empty cell, an item with no such
    figure): the same fact, written out; the converse of a blank cell agreeing with 0."""
    return isinstance(value, Missing) and value.kind is Gap.BLANK and shown.value == 0


def _wrong_base(value: Quantity, shown: Quantity) -> tuple[str, ...]:
    """A printed change rate that is what the current year as denominator gives: say so."""
    if value.other_base is None or not compare("==", Quantity(value.other_base, RATIO), shown).holds:
        return ()
    return (f"{figure(shown)} is what the current year as denominator gives; a change rate is taken over "
            f"the prior year: {format_quantity(value, '%.2')}",)


def stated_quantity(literal, unit: Optional[str]) -> Quantity:
    """A printed figure stands for what rounds half-up to it at the decimals it was printed with."""
    negative = isinstance(literal, ast.Neg)
    inner = literal.operand if negative else literal
    value = -inner.value if negative else inner.value
    if isinstance(inner, ast.Percent):
        return printed(value, inner.decimals, RATIO)
    return printed(value, inner.decimals, inner.unit or unit)


def _text(block, entry, text: str, value: Value) -> Optional[Diagnostic]:
    if isinstance(value, str) and value == text:
        return None
    given = f"'{value}'" if isinstance(value, str) else _given(value)
    return _fail(block, entry, f"'{text}'", given, "texts are compared as they are written")


def _blank(block, entry, value: Value) -> Optional[Diagnostic]:
    if isinstance(value, Missing) or (isinstance(value, Quantity) and value.value == 0):
        return None
    return _fail(block, entry, "blank", _given(value), "a blank cell agrees with no figure, or with 0")


def _given(value: Value) -> str:
    if isinstance(value, Quantity):
        return figure(value)
    if isinstance(value, Missing):
        return f"no figure ({value.reason})"
    return describe(value)


def _kind(q: Quantity) -> str:
    return "a ratio" if q.is_ratio else f"in {q.unit}" if q.unit else "a plain number"


def render_literal(literal) -> str:
    return render_expr(literal)


def place(block: ast.Stated, entry: ast.StatedEntry) -> str:
    """'p. 7, 表五 …, row 208 …, column 决算数' — where the figure was printed."""
    pieces = []
    if block.page is not None:
        pieces.append(f"p. {block.page}")
    if block.place is not None:
        pieces.append(block.place[1])
    if entry.row is not None:
        pieces.append(f"row {entry.row}")
    if entry.column is not None:
        pieces.append(f"column {entry.column}")
    if entry.sentence is not None:
        pieces.append(f"“{entry.sentence}”")
    return ", ".join(pieces)


def _fail(block, entry, shown: str, given: str, why: str, *more: str) -> Diagnostic:
    where = place(block, entry)
    preposition = " on " if block.page is not None else " in "
    message = f"printed{preposition + where if where else ''}: {shown}; the report gives {given}"
    make = warning if block.severity is Severity.WARNING else error
    return make(CODE, message, entry.span, f"{render_expr(entry.expr)} = {given}", why, *more)
