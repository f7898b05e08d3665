"""Run-time values of the evaluator: Decimal quantities with units and rounding intervals, and
the 'no value' markers that travel through arithmetic until a sentence or a check meets them."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional, Union

import attrs

from .source import Span, made_in_bulk
from .text_enum import TextEnum

RATIO = "%"
MONEY_UNITS = frozenset({"万元", "亿元", "元"})
ZERO = Decimal(0)
PRINTED = {"#printed": True}  # the scope of a check: its literals are figures as printed


@made_in_bulk
class Quantity:
    """A number with its unit (None for a plain number, RATIO for a ratio).

    `error` is the half-width of the interval the value stands for: 0 for a typed figure and all
    that is derived from typed figures (docs/language.md, Rounding: typed amounts are exact); ½·10⁻ᵈ for a figure
    printed with d decimals (a literal in a check, a stated figure), and under the opt-in interval
    rule for every typed figure; arithmetic widens it, so printed figures added carry their rounding.
    `decimals` is set on a single printed figure: it agrees with an exact value that rounds to it.
    `other_base` is, for a change rate, the rate the other year as denominator gives.
    """

    value: Decimal
    unit: Optional[str] = None
    error: Decimal = ZERO
    other_base: Optional[Decimal] = None
    format: Optional[str] = attrs.field(default=None, eq=False)  # from `let … as FMT`
    decimals: Optional[int] = attrs.field(default=None, eq=False)  # printed with this many (ratio: of the ratio)

    @property
    def is_ratio(self) -> bool:
        return self.unit == RATIO


class Gap(TextEnum):
    """Why a value is missing."""

    UNFILLED = "unfilled"  # a `?` still to be filled in
    BLANK = "blank"  # a `-`: nothing stated
    ZERO_BASE = "zero_base"  # a division by zero
    FAILED = "failed"  # an error, already reported where it was made


@attrs.frozen
class Missing:
    """No value, and why (`kind`); `span` points where the gap was made."""

    kind: Gap
    reason: str
    span: Optional[Span] = attrs.field(default=None, eq=False)


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


AMOUNT_DECIMALS = 2  # tables print amounts (万元, 元, 亿元) to the cent of their unit


def is_count(unit: Optional[str]) -> bool:
    return unit is not None and unit not in MONEY_UNITS and unit != RATIO


def stated_error(value: Decimal, decimals: int, unit: Optional[str]) -> Decimal:
    """The half-width a typed figure stands for under the opt-in interval rule. Counts (人, 辆,
    个 …) are exact, and so is a stated zero (nothing spent is nothing); amounts and ratios stand
    for v ± ½·10⁻ᵈ (XBRL Calculations 1.1)."""
    if value == 0 or is_count(unit):
        return ZERO
    return half_unit(decimals)


def is_rounded_amount(value: Decimal, decimals: int, unit: Optional[str]) -> bool:
    """A printed amount with fewer decimals than the tables print (296.5 万元, 120 万元) is a
    rounded statement; 0 and counts are exact, and so is an amount printed to the cent."""
    return value != 0 and not is_count(unit) and decimals < AMOUNT_DECIMALS


def printed(value: Decimal, decimals: int, unit: Optional[str]) -> "Quantity":
    """A figure as printed with `decimals` decimals: it stands for what rounds half-up to it."""
    return Quantity(value, unit, half_unit(decimals), decimals=decimals)


Value = Union[Quantity, Missing, str, bool, "NodeValue", "TreeValue", tuple]


@made_in_bulk(eq=False)
class TreeNode:
    """One line item of an `items` tree, linked to its parent after construction."""

    tree: str
    key: str
    is_code: bool
    label: Optional[str]
    values: dict
    attributes: dict
    children: tuple["TreeNode", ...]
    depth: int
    span: Optional[Span]
    parent: Optional["TreeNode"] = None

    @property
    def name(self) -> str:
        return self.label or self.key


@made_in_bulk(eq=False)
class NodeValue:
    node: TreeNode


@attrs.frozen(eq=False)
class TreeValue:
    name: str
