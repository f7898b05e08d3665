"""When two figures agree (docs/language.md, "Exact figures and printed figures").

Three rules, and every failed comparison says which one it applied:
- exact: typed figures, and all that is derived from them, are exact: 58.14 is not 58.15;
- rounds to: a figure printed with d decimals (18.7%, 296.5, a stated 58.14) agrees with an exact
  value when that value rounds half-up to it at d decimals;
- interval: printed figures that were added or multiplied carry their rounding (four shares of two
  decimals: ±0.02 points), and under the opt-in `rounding interval` every typed figure stands for
  ± half a unit of its last decimal; two figures agree when their intervals overlap.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

import attrs

from .number_text import amount, figure, printed_decimals, round_half_up
from .values import Quantity, half_unit

EXACT, ROUNDS_TO, INTERVAL = "exact", "rounds to", "interval"

TESTS = {
    "==": lambda d, s: abs(d) <= s, "!=": lambda d, s: abs(d) > s,
    "<=": lambda d, s: d <= s, "<": lambda d, s: d < s,
    ">=": lambda d, s: d >= -s, ">": lambda d, s: d > -s,
}


@attrs.frozen
class Verdict:
    holds: bool
    rule: str
    left: Quantity  # the operands as compared (for `rounds to`, the exact side rounded)
    right: Quantity
    slack: Decimal = Decimal(0)
    opted_in: bool = False  # the interval rule asked for by `rounding interval` or `… interval`
    op: str = "=="


def compare(op: str, left: Quantity, right: Quantity, interval: bool = False) -> Verdict:
    if not interval and left.error == 0 and right.error == 0:
        return Verdict(TESTS[op](left.value - right.value, Decimal(0)), EXACT, left, right)
    if not interval and _single_printed(right) and left.error == 0:
        rounded = attrs.evolve(left, value=round_half_up(left.value, right.decimals), decimals=right.decimals)
        return Verdict(TESTS[op](rounded.value - right.value, Decimal(0)), ROUNDS_TO, rounded, right, op=op)
    if not interval and _single_printed(left) and right.error == 0:
        rounded = attrs.evolve(right, value=round_half_up(right.value, left.decimals), decimals=left.decimals)
        return Verdict(TESTS[op](left.value - rounded.value, Decimal(0)), ROUNDS_TO, left, rounded, op=op)
    slack = left.error + right.error
    return Verdict(TESTS[op](left.value - right.value, slack), INTERVAL, left, right, slack, interval)


def _single_printed(q: Quantity) -> bool:
    return q.decimals is not None and q.error > 0 and q.error == half_unit(q.decimals)


def rule_text(verdict: Verdict, original: Optional[Quantity] = None) -> str:
    """Why the comparison came out as it did, in one line; `original` is the exact side before rounding."""
    left, right = verdict.left, verdict.right
    like = left if left.is_ratio or (left.unit and not right.is_ratio) else right
    difference = amount(left.value - right.value, like)
    if verdict.rule == EXACT:
        return f"rule: exact (typed figures and what is derived from them are exact); difference {difference}"
    if verdict.rule == ROUNDS_TO:
        stated, exact = (right, left) if _single_printed(right) else (left, right)
        places = printed_decimals(stated)
        source = figure(original) if original is not None else "the exact value"
        if original is not None and original.value == exact.value:
            return (f"rule: rounds to ({figure(stated)} is printed with {places} decimal{'s' if places != 1 else ''}; "
                    f"the exact {source} is already at that precision and differs by {difference})")
        if verdict.op != "==":
            return (f"rule: rounds to ({figure(stated)} is printed with {places} decimal{'s' if places != 1 else ''}; "
                    f"{source} rounds half-up to {figure(exact)}, and {figure(left)} {verdict.op} {figure(right)} "
                    "does not hold)")
        return (f"rule: rounds to ({figure(stated)} is printed with {places} decimal{'s' if places != 1 else ''}; "
                f"{source} rounds half-up to {figure(exact)}, not {figure(stated)})")
    if verdict.opted_in:
        return (f"rule: interval (asked for: each figure stands for ± half a unit of its last decimal, "
                f"together ±{amount(verdict.slack, like)}); difference {difference}")
    return (f"rule: interval (printed figures carry their rounding: together at most ±{amount(verdict.slack, like)}); "
            f"difference {difference}")
