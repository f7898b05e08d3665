"""Decimal arithmetic on figures with units and rounding intervals: +, -, *, /, sums, comparisons,
and the diagnostic of a unit mismatch. `evaluator` is whoever reports faults (the interpreter)."""

from __future__ import annotations

from typing import Optional

from . import ast
from .diagnostics import Diagnostic, error
from .expr_printer import render_expr
from .values import RATIO, ZERO, Gap, Missing, Quantity, Value


def unit_name(q: Quantity) -> str:
    if q.unit is None:
        return "a plain number"
    return "a ratio (%)" if q.is_ratio else q.unit


COMPARISONS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def units_compatible(left: Quantity, right: Quantity) -> bool:
    return left.unit is None or right.unit is None or left.unit == right.unit


def sum_values(values: list[Value], unit: Optional[str]) -> Value:
    """Sum of stated figures: blanks count as nothing; any other gap makes the sum a gap."""
    total, error_sum, seen, result_unit = ZERO, ZERO, False, None
    for value in values:
        if isinstance(value, Missing):
            if value.kind is Gap.BLANK:
                continue
            return value
        if not isinstance(value, Quantity):
            return Missing(Gap.FAILED, "a non-figure in a sum")
        total, error_sum, seen = total + value.value, error_sum + value.error, True
        result_unit = result_unit or value.unit
    if not seen:
        return Missing(Gap.BLANK, "none of the items states this figure")
    return Quantity(total, result_unit or unit, error_sum)


def divide(left: Quantity, right: Quantity) -> Quantity:
    value = left.value / right.value
    b = abs(right.value)
    if right.error >= b:
        spread = abs(value)
    else:
        spread = (abs(left.value) * right.error + b * left.error) / (b * (b - right.error))
    return Quantity(value, quotient_unit(left.unit, right.unit), spread)


def quotient_unit(top: Optional[str], bottom: Optional[str]) -> Optional[str]:
    """万元 / 万元 is a ratio; 万元 / 2 is 万元; 1 / 人 is per 人; 万元 / 人 is 万元/人."""
    if top == bottom:
        return RATIO
    if bottom in (None, RATIO):
        return top
    return f"{top or '1'}/{bottom}"


def multiply(left: Quantity, right: Quantity, expr, evaluator) -> Value:
    if left.unit not in (None, RATIO) and right.unit not in (None, RATIO):
        return evaluator._unit_error(expr, left, right)
    unit = left.unit if left.unit not in (None, RATIO) else right.unit if right.unit not in (None,) else left.unit
    error_sum = abs(left.value) * right.error + abs(right.value) * left.error + left.error * right.error
    return Quantity(left.value * right.value, unit, error_sum)


def arithmetic(op: str, left: Quantity, right: Quantity, expr, evaluator) -> Value:
    if op in "+-":
        if not units_compatible(left, right):
            return evaluator._unit_error(expr, left, right)
        value = left.value + right.value if op == "+" else left.value - right.value
        return Quantity(value, left.unit or right.unit, left.error + right.error)
    if op == "*":
        return multiply(left, right, expr, evaluator)
    if right.value == 0:
        return Missing(Gap.ZERO_BASE, f"division by zero: {render_expr(expr.right)} is 0", expr.span)
    return divide(left, right)


def unit_error(expr, left: Quantity, right: Quantity, report_unit: Optional[str]) -> Diagnostic:
    """Points at the operand whose unit is not the report's (the right one if both or neither)."""
    op = getattr(expr, "op", None) or getattr(expr, "function", "?")
    operands = (getattr(expr, "left", None), getattr(expr, "right", None))
    if isinstance(expr, ast.Call) and len(expr.args) == 2:
        operands = expr.args
    odd_left = left.unit != report_unit and right.unit == report_unit
    target, other = (operands[0], operands[1]) if odd_left else (operands[1], operands[0])
    where = target.span if target is not None and target.span is not None else expr.span
    related = ((other.span, f"this one is in {unit_name(left if not odd_left else right)}"),) \
        if other is not None and other.span is not None else ()
    return error("RD106", f"'{op}' mixes {unit_name(left)} and {unit_name(right)}", where,
                 f"this operand is in {unit_name(left if odd_left else right)}; "
                 "figures in different units cannot be added or compared", related=related)
