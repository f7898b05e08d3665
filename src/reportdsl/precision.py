"""One precision per kind of rate within a section (RD415): a reader compares the rates of a section
with one another, so "完成年初预算的 127.1%" above "完成年初预算的 114.29%" reads as a different kind of
figure. The kind of a printed percentage is the function that makes it — share (占…), change
(增长/下降) or rate (完成/执行) — found through the names it is computed from. And an amount in a
sentence has the tables' two decimals unless its format names others (RD416). Rules registered into
checks.RULES.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator, Optional

from . import ast
from .diagnostics import Diagnostic, warning
from .evaluated import Evaluated
from .model import Document, FigureUse, Heading, UseKind
from .rules import rule
from .number_text import DIRECTION_WORDS, format_quantity
from .values import AMOUNT_DECIMALS, MONEY_UNITS, Quantity

RATE_KINDS = {"share": "share", "change": "change rate", "rate": "completion rate"}
MAX_NAME_DEPTH = 8
PRINTED_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def rate_kind(ev: Evaluated, expr, depth: int = 0) -> Optional[str]:
    """share, change rate or completion rate: the function that makes a percentage, through the names
    it is defined by (`let 变动率 = change(…)`) and an abs() around it."""
    if depth > MAX_NAME_DEPTH or expr is None:
        return None
    if isinstance(expr, ast.Call) and expr.function in RATE_KINDS:
        return RATE_KINDS[expr.function]
    if isinstance(expr, ast.Call) and expr.function == "abs" and len(expr.args) == 1:
        return rate_kind(ev, expr.args[0], depth + 1)
    if isinstance(expr, ast.Name):
        decl = ev.names.definitions.get((expr.name, ev.names.period(expr.period)))
        return rate_kind(ev, decl.expr, depth + 1) if isinstance(decl, ast.Let) else None
    return None


def decimals_shown(shown: str) -> int:
    digits = shown.rstrip("%")
    return len(digits.split(".", 1)[1]) if "." in digits else 0


def sections_of(document: Document) -> list[int]:
    """For each heading, the index of the first figure printed under it (in order)."""
    return [block.first_figure for block in document.blocks if isinstance(block, Heading)]


def printed_rates(ev: Evaluated, document: Document) -> Iterator[tuple[int, str, FigureUse]]:
    """(section, kind, use) for each percentage printed in a sentence."""
    starts = sections_of(document)
    for index, use in enumerate(document.figures):
        if use.kind is not UseKind.TEXT or not isinstance(use.value, Quantity) or not use.value.is_ratio:
            continue
        if not use.shown.endswith("%"):
            continue
        kind = rate_kind(ev, use.expr)
        if kind is not None:
            yield bisect.bisect_right(starts, index), kind, use


@rule
def one_precision_per_kind(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    first: dict[tuple[int, str], FigureUse] = {}
    reported: set = set()
    for section, kind, use in printed_rates(ev, document):
        seen = first.setdefault((section, kind), use)
        places, expected = decimals_shown(use.shown), decimals_shown(seen.shown)
        if places == expected or (use.span, kind) in reported:
            continue
        reported.add((use.span, kind))
        yield warning("RD415", f"this {kind} is printed with {places} decimal(s) ({use.shown}), another in its "
                      f"section with {expected} ({seen.shown})", use.span,
                      f"print every {kind} of a section with one precision: {{…:%.{expected}}}, or change the other",
                      related=((seen.span, f"the first {kind} of the section"),) if seen.span is not None else ())


def states_decimals(fmt: Optional[str]) -> bool:
    """`.N` names its decimals: a layout or report writing {x:.1} or `let … as .0` says how it wants
    the amount printed. `g` prints as few as the value needs, so its decimals change with the data."""
    return fmt is not None and fmt.startswith(".")


@rule
def amounts_at_table_precision(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    """An amount in a sentence printed with fewer decimals than the tables print it ("110.9 万元" beside
    "278.43 万元", "70 万元" for a typed 70.0) unless the format names its decimals (RD416)."""
    reported: set = set()
    for use in document.figures:
        quantity = use.value
        if use.kind is not UseKind.TEXT or not isinstance(quantity, Quantity) or quantity.unit not in MONEY_UNITS:
            continue
        fmt = use.format or quantity.format
        if fmt in DIRECTION_WORDS or not PRINTED_NUMBER.fullmatch(use.shown):
            continue  # 增加/减少 and other words
        places = decimals_shown(use.shown)
        if states_decimals(fmt) or places >= AMOUNT_DECIMALS or use.span in reported:
            continue
        reported.add(use.span)
        yield warning("RD416", f"an amount printed with {places} decimal(s) ({use.shown} {quantity.unit}); the "
                      f"tables print amounts with {AMOUNT_DECIMALS} ({format_quantity(quantity, '.2')})", use.span,
                      f"leave the format out to print {AMOUNT_DECIMALS} decimals as the tables do, or name the "
                      f"decimals wanted: {{…:.{places}}}")
