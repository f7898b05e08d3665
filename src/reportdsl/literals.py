"""Number and percentage literals as syntax nodes: the one place that reads their digits, shared by
Lark's transformer (lark_parser.py) and the item-line reader (item_blocks.py), so both build the same nodes."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from . import ast
from .diagnostics import CompileError, error
from .source import Span
from .syntax_rules import MAX_DECIMALS, MAX_WHOLE_DIGITS, decimals_of


def number_node(digits: str, unit: Optional[str], span: Span, digits_span: Span) -> ast.Number:
    check_size(digits, digits_span)
    return ast.Number(Decimal(digits), decimals_of(digits), unit, span=span)


def percent_node(written: str, span: Span) -> ast.Percent:
    """`18.7%` (as written, with its sign) -> the ratio 0.187, with the decimals of the ratio."""
    digits = written[:-1]
    check_size(digits, span)
    return ast.Percent(Decimal(digits) / 100, decimals_of(digits) + 2, span=span)


def check_size(digits: str, span: Span) -> None:
    if len(digits) <= MAX_DECIMALS + 2:  # "1.12345678": too short to be out of range
        return
    whole, _, fraction = digits.partition(".")
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS or len(fraction) > MAX_DECIMALS:
        shown = digits if len(digits) <= 24 else digits[:20] + "…"
        raise CompileError([error("RD003", f"the number {shown} is out of range", span,
                                  f"numbers have at most {MAX_WHOLE_DIGITS} digits before the point and "
                                  f"{MAX_DECIMALS} after it")])
