"""The built-in functions of the language, one small function each, dispatched by a table."""

from __future__ import annotations

from decimal import Decimal

import attrs

from . import ast
from .diagnostics import error
from .arithmetic import arithmetic, sum_values
from .expr_printer import render_expr
from .number_text import describe, round_half_up
from .values import RATIO, ZERO, Gap, Missing, Quantity, Value, half_unit


def _abs(ev, expr, q: Quantity) -> Value:
    other = abs(q.other_base) if q.other_base is not None else None
    return attrs.evolve(q, value=abs(q.value), other_base=other)


def _round(ev, expr, q: Quantity, digits: Quantity) -> Value:
    places = int(digits.value)
    if digits.value != places or not 0 <= places <= 20:
        return ev.report(error("RD107", "round() takes a whole number of decimals from 0 to 20", expr.args[1].span))
    scale = places + 2 if q.is_ratio else places
    # a rounded figure is a printed one: it carries its rounding if it is added to others
    return Quantity(round_half_up(q.value, scale), q.unit, q.error + half_unit(scale),
                    decimals=scale if q.error == 0 else None)


def _ratio(ev, expr, part: Quantity, whole: Quantity) -> Value:
    return arithmetic("/", part, whole, ast.BinOp("/", expr.args[0], expr.args[1], span=expr.span), ev)


def _change(ev, expr, new: Quantity, old: Quantity) -> Value:
    """(this year - prior year) / prior year; remembers what the current year as base would give."""
    difference = arithmetic("-", new, old, expr, ev)
    if not isinstance(difference, Quantity):
        return difference
    if old.value == 0:
        return Missing(Gap.ZERO_BASE, f"change over a zero base: {render_expr(expr.args[1])} is 0", expr.span)
    rate = arithmetic("/", difference, Quantity(old.value, difference.unit, old.error), expr, ev)
    other = difference.value / new.value if new.value != 0 else None
    return Quantity(rate.value, RATIO, rate.error, other)


def _extreme(pick):
    def apply(ev, expr, *values: Quantity) -> Value:
        chosen = pick(values, key=lambda q: q.value)
        return chosen

    return apply


# name -> (function, number of arguments or None for any, description of arguments)
FUNCTIONS = {
    "abs": (_abs, 1, "abs(x)"),
    "round": (_round, 2, "round(x, decimals)"),
    "share": (_ratio, 2, "share(part, whole)"),
    "rate": (_ratio, 2, "rate(actual, budget)"),
    "change": (_change, 2, "change(this_year, prior_year)"),
    "min": (_extreme(min), None, "min(a, b, …)"),
    "max": (_extreme(max), None, "max(a, b, …)"),
}
AGGREGATES = ("sum", "count", "min", "max")


def call_function(ev, expr: ast.Call, args: list[Value]) -> Value:
    name = expr.function
    if name == "known":
        return _known(ev, expr, args)
    if name == "reported":
        return _reported(ev, expr, args)
    if name in AGGREGATES and len(args) == 1 and isinstance(args[0], (tuple, Missing)):
        return args[0] if isinstance(args[0], Missing) else call_aggregate(ev, expr, args[0])
    if name not in FUNCTIONS:
        return _unknown_function(ev, expr)
    function, arity, usage = FUNCTIONS[name]
    if (arity is not None and len(args) != arity) or not args:
        return ev.report(error("RD107", f"{name}() takes {arity or 'one or more'} argument(s), not {len(args)}",
                               expr.span, f"write {usage}"))
    for arg, value in zip(expr.args, args):
        if isinstance(value, Missing):
            return value
        if not isinstance(value, Quantity):
            return ev.report(error("RD106", f"{name}() takes figures, not {describe(value)}", arg.span, f"write {usage}"))
    return function(ev, expr, *args)


def _known(ev, expr, args) -> Value:
    if len(args) != 1:
        return ev.report(error("RD107", "known() takes one argument", expr.span, "write known(x)"))
    value = args[0]
    if isinstance(value, Missing):
        return value if value.kind is Gap.FAILED else False
    return True


def _reported(ev, expr, args) -> Value:
    """A row with a figure to report: one of its figures is not 0, or is still to be filled in (`?`);
    a `-` (nothing stated) counts as 0."""
    if not args:
        return ev.report(error("RD107", "reported() takes one or more arguments", expr.span,
                               "write reported(x.基本支出, x.项目支出)"))
    for value in args:
        if isinstance(value, Missing) and value.kind is Gap.FAILED:
            return value
    return any(to_report(value) for value in args)


def to_report(value: Value) -> bool:
    if isinstance(value, Missing):
        return value.kind is Gap.UNFILLED
    return not isinstance(value, Quantity) or value.value != 0


def _unknown_function(ev, expr) -> Value:
    import difflib

    names = sorted(set(FUNCTIONS) | set(AGGREGATES) | {"known", "reported"})
    close = difflib.get_close_matches(expr.function, names, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"functions: {', '.join(names)}"
    return ev.report(error("RD107", f"unknown function '{expr.function}'", expr.span, hint))


def call_aggregate(ev, expr, elements: tuple) -> Value:
    name = expr.function
    if name == "count":
        return Quantity(Decimal(len(elements)))
    if name not in AGGREGATES:
        return ev.report(error("RD107", f"'{name}' does not take a list", expr.span,
                               "sum, count, min and max take a list: sum(x.决算 for x in tree.leaves)"))
    for value in elements:
        if isinstance(value, Missing) and value.kind is not Gap.BLANK:
            return value
        if not isinstance(value, (Quantity, Missing)):
            return ev.report(error("RD106", f"{name}() takes figures, not {describe(value)}", expr.span,
                                   "write the measure to add up: sum(x.决算 for x in tree.leaves)"))
    if name == "sum":
        total = sum_values(list(elements), ev.header.unit)
        return Quantity(ZERO, ev.header.unit) if isinstance(total, Missing) and total.kind is Gap.BLANK else total
    figures = [value for value in elements if isinstance(value, Quantity)]
    if not figures:
        return Missing(Gap.BLANK, f"{name}() of an empty list", expr.span)
    return (min if name == "min" else max)(figures, key=lambda q: q.value)
