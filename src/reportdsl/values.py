"""Run-time values of the evaluator: Decimal quantities with units and rounding intervals, and
the 'no value' markers that travel through arithmetic until a sentence or a check meets them."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional, Union

import attrs

from .source import Span

RATIO = "%"
MONEY_UNITS = frozenset({"万元", "亿元", "元"})
ZERO = Decimal(0)


@attrs.frozen
class Quantity:
    """A number with its unit (None for a plain number, RATIO for a ratio).

    `error` is the half-width of the interval the value stands for: a figure typed with d
    decimals stands for v ± ½·10⁻ᵈ (the rounding rule of docs/language.md); arithmetic widens it.
    `other_base` is, for a change rate, the rate the other year as denominator gives.
    """

    value: Decimal
    unit: Optional[str] = None
    error: Decimal = ZERO
    other_base: Optional[Decimal] = None
    format: Optional[str] = attrs.field(default=None, eq=False)  # from `let … as FMT`

    @property
    def is_ratio(self) -> bool:
        return self.unit == RATIO


@attrs.frozen
class Missing:
    """No value: `kind` is 'unfilled' (a `?`), 'blank' (a `-`), 'zero_base' (a division by zero),
    or 'failed' (an error already reported). `span` points where the gap was made."""

    kind: str
    reason: str
    span: Optional[Span] = attrs.field(default=None, eq=False)


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-decimals - 1)


def stated_error(value: Decimal, decimals: int, unit: Optional[str]) -> Decimal:
    """The half-width a typed figure stands for. Counts (人, 辆, 个 …) are exact, and so is a
    stated zero (nothing spent is nothing, not "less than half a 万元"); amounts and ratios stand
    for v ± ½·10⁻ᵈ (the rounding rule of docs/language.md)."""
    if value == 0 or (unit is not None and unit not in MONEY_UNITS and unit != RATIO):
        return ZERO
    return half_unit(decimals)


Value = Union[Quantity, Missing, str, bool, "NodeValue", "TreeValue", tuple]


@attrs.frozen(eq=False)
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


@attrs.frozen(eq=False)
class NodeValue:
    node: TreeNode


@attrs.frozen(eq=False)
class TreeValue:
    name: str
