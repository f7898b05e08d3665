"""Invariants: small rules in a registry, each yielding diagnostics about the evaluated report.

Equality of rounded figures follows the interval rule (docs/language.md, Rounding): two figures agree when their
intervals (value ± half a unit of the last stated decimal, widened through arithmetic) overlap.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, Iterator

from . import ast
from .diagnostics import Diagnostic, error, warning
from .evaluate import Evaluator, render_expr, units_compatible
from .number_text import describe, format_quantity, rounds_to_boundary
from .model import Document
from .values import Missing, Quantity

Rule = Callable[[Evaluator, Document], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def run_checks(evaluator: Evaluator, document: Document) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in RULES:
        found.extend(check(evaluator, document))
    return found


def show_amount(value: Decimal, like: Quantity) -> str:
    """A difference or tolerance: percentage points for ratios."""
    if like.is_ratio:
        return f"{format_quantity(Quantity(value, like.unit), '%.2')[:-1]} percentage points"
    return describe(Quantity(value, like.unit))


def operand(expr, value: Quantity) -> str:
    if isinstance(expr, (ast.Number, ast.Percent)):
        return describe(value)
    return f"{render_expr(expr)} = {describe(value)}"


def tolerance_text(total: Decimal, like: Quantity) -> str:
    return "exact" if total == 0 else f"±{show_amount(total, like)}"


def holds(op: str, left: Quantity, right: Quantity) -> bool:
    """Comparison under the interval rule: the difference may lie anywhere within the two intervals."""
    slack = left.error + right.error
    difference = left.value - right.value
    tests = {
        "==": abs(difference) <= slack, "!=": abs(difference) > slack,
        "<=": difference <= slack, "<": difference < slack,
        ">=": difference >= -slack, ">": difference > -slack,
    }
    return tests[op]


# ---- built-in: parents equal the sum of their children -----------------------------------------


@rule
def parent_sums(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    for tree in ev.trees.values():
        for node in tree.walk():
            if not node.children:
                continue
            for measure in tree.measures:
                stated = ev.stated_measure(node, measure)
                if not isinstance(stated, Quantity):
                    continue
                summed = ev.children_sum(node.children, measure, node.span)
                if isinstance(summed, Quantity) and not holds("==", stated, summed):
                    yield _sum_mismatch(node, measure, stated, summed)


def _sum_mismatch(node, measure, stated: Quantity, summed: Quantity) -> Diagnostic:
    slack = stated.error + summed.error
    return error("RD301", f"{measure} of '{node.name}' is {describe(stated)} but its items add up to {describe(summed)}",
                 node.span,
                 f"difference {show_amount(stated.value - summed.value, stated)}; "
                 f"tolerance {tolerance_text(slack, stated)} from the stated decimals",
                 "state the parent as '-' to derive it from its items, or correct an item")


# ---- declared checks ------------------------------------------------------------------------------------


@rule
def declared_checks(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    for check in ev.checks:
        diagnostic = _evaluate_check(ev, check)
        if diagnostic is not None:
            yield diagnostic


def _make(check: ast.Check):
    return warning if check.severity == "warning" else error


def _evaluate_check(ev: Evaluator, check: ast.Check):
    expr = check.expr
    if isinstance(expr, ast.Compare):
        left, right = ev.eval(expr.left, {}), ev.eval(expr.right, {})
        if isinstance(left, Quantity) and isinstance(right, Quantity):
            return _compare_check(ev, check, expr, left, right)
        gap = next((v for v in (left, right) if isinstance(v, Missing)), None)
        if gap is not None:
            return _undecided(check, gap)
    value = tolerant_value(ev, expr)
    if isinstance(value, Missing):
        return _undecided(check, value)
    if value is False:
        return _make(check)("RD303", check.message, check.span, "the condition is false")
    if value is not True:
        ev.report(error("RD106", "a check must be a comparison or a condition", expr.span))
    return None


def tolerant_value(ev: Evaluator, expr):
    """A check's condition with every comparison under the interval rule, through and/or/not."""
    if isinstance(expr, ast.Compare):
        left, right = ev.eval(expr.left, {}), ev.eval(expr.right, {})
        if isinstance(left, Quantity) and isinstance(right, Quantity) and units_compatible(left, right):
            return holds(expr.op, left, right)
        return ev.eval(expr, {})
    if isinstance(expr, ast.Not):
        inner = tolerant_value(ev, expr.operand)
        return (not inner) if isinstance(inner, bool) else inner
    if isinstance(expr, ast.Logic):
        left = tolerant_value(ev, expr.left)
        if isinstance(left, bool) and left == (expr.op == "or"):
            return left
        right = tolerant_value(ev, expr.right)
        if not isinstance(left, bool):
            return left
        return right
    return ev.eval(expr, {})


def _undecided(check: ast.Check, gap: Missing):
    if gap.kind in ("failed", "unfilled"):  # an open input is reported once, where it is filled in
        return None
    code = "RD201" if gap.kind == "zero_base" else "RD401"
    return _make(check)(code, f"check cannot be decided: {gap.reason}", check.span, check.message,
                 related=((gap.span, "the missing value comes from here"),) if gap.span else ())


def _compare_check(ev, check, expr: ast.Compare, left: Quantity, right: Quantity):
    if not units_compatible(left, right):
        ev._unit_error(expr, left, right)
        return None
    if holds(expr.op, left, right):
        return None
    make = _make(check)
    slack = left.error + right.error
    values = (f"{operand(expr.left, left)}, {operand(expr.right, right)}; "
              f"difference {show_amount(left.value - right.value, left)}; tolerance {tolerance_text(slack, left)}")
    if expr.op != "==":
        return make("RD303", check.message, check.span, values)
    wrong_base = _wrong_base(left, right) or _wrong_base(right, left)
    if wrong_base:
        return make("RD304", check.message, check.span, values, wrong_base)
    return make("RD302", check.message, check.span, values, *_other_base_note(left, right))


def _other_base_note(*sides: Quantity) -> tuple[str, ...]:
    """For a change rate, what the other year as denominator would give: a clue to the mistake."""
    for side in sides:
        if side.other_base is not None:
            shown = format_quantity(Quantity(side.other_base, "%"), "%.2")
            return (f"the current year as denominator would give {shown}; the prior year gives {describe(side)}",)
    return ()


def _wrong_base(derived: Quantity, stated: Quantity) -> str | None:
    other = derived.other_base
    if other is None or abs(other - stated.value) > stated.error + derived.error:
        return None
    return (f"{describe(stated)} is what the current year as denominator gives ({format_quantity(Quantity(other, '%'), '%.2')}); "
            f"a change rate is taken over the prior year: {describe(derived)}")


# ---- across years ------------------------------------------------------------------------------------------


@rule
def prior_year_agrees(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    """A prior-year figure typed here and also in last year's report must be the same figure."""
    for (name, period), decl in ev.definitions.items():
        imported = ev.imported((name, period))
        if imported is None:
            continue
        here, there = ev.value_of((name, period)), ev.prior.value_of(imported)
        if isinstance(here, Quantity) and isinstance(there, Quantity) and not holds("==", here, there):
            origin = ev.prior.definitions[imported].span
            yield error("RD307", f"'{name}@上年' is {describe(here)} here but {describe(there)} in last year's report",
                        decl.span, f"difference {show_amount(here.value - there.value, here)}; "
                        "correct one of them, or take the figure from last year's report by deleting this line",
                        related=((origin, "last year's figure"),))


# ---- subsets (其中) ------------------------------------------------------------------------------------


@rule
def subsets(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    for fact in ev.facts_within:
        part = ev.value_of((fact.target.name, ev.period(fact.target.period)))
        whole_name = ast.Name(fact.within.name, fact.within.period, span=fact.within.span)
        whole = ev.eval(whole_name, {})
        if isinstance(part, Quantity) and isinstance(whole, Quantity) and not units_compatible(part, whole):
            yield error("RD106", f"'{fact.target.name}' is in {part.unit} but its whole '{fact.within.name}' "
                        f"is in {whole.unit}", fact.span, "a 其中 figure has the unit of its whole")
        elif isinstance(part, Quantity) and isinstance(whole, Quantity) and not holds("<=", part, whole):
            yield error("RD305", f"'{fact.target.name}' ({describe(part)}) is part of '{fact.within.name}' "
                        f"({describe(whole)}) but larger than it", fact.span,
                        f"a 其中 figure cannot exceed its whole; difference {show_amount(part.value - whole.value, part)}",
                        related=((fact.within.span, "the whole is named here"),))


# ---- figures as they are published -----------------------------------------------------------------------


@rule
def gaps_in_text(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        value = use.value
        if isinstance(value, str) and not value.strip() and use.kind == "text":
            yield error("RD401", "this text is empty, leaving a blank in the sentence", use.span,
                        "fill in the text, or leave the clause out with {if}")
        if not isinstance(value, Missing) or value.kind == "failed":
            continue
        if value.kind == "zero_base":
            yield error("RD201", f"{value.reason}, so this figure has no value", use.span,
                        "leave the clause out with {if base != 0}…{end}, or print a dash: {x ?? '—'}",
                        related=((value.span, "the division is here"),) if value.span else ())
        elif reported_at_use(use, value):
            yield error("RD401", f"a blank would be published here: {value.reason}", use.span,
                        fill_hint(ev, value), related=((value.span, "declared here"),) if value.span else ())


def fill_hint(ev: Evaluator, value: Missing) -> str:
    """Where to fill a gap: a layout's open input is filled in the report, not in the layout."""
    if value.kind == "unfilled" and value.span is not None and ev.header.span is not None \
            and value.span.path != ev.header.span.path and not ev.header.is_layout:
        declared = next((d for d in ev.definitions.values()
                         if isinstance(d, ast.Fact) and d.value.span == value.span), None)
        if declared is not None:
            shown = ast.name_at(declared.target.name, declared.target.period)
            return f"the layout needs it: add `fact {shown} = …` to the report"
    return "fill in the figure where it is declared"


def reported_at_use(use, value: Missing) -> bool:
    """A gap is shown where it would be published, if that is in the file it comes from; a `?` the
    report declares for its layout's sentences is shown at the declaration (unfilled_inputs)."""
    if value.kind == "unfilled" and value.span is not None and use.span is not None:
        return value.span.path == use.span.path
    return use.kind != "cell" or value.kind == "unfilled"


@rule
def unfilled_inputs(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    """Every `?` still in the report is reported once: where it would be published (above), or else
    where it is declared, so that a report made by `reportdsl new` lists all it still needs."""
    if ev.header.is_layout:
        return
    published = {use.value.span for use in document.figures
                 if isinstance(use.value, Missing) and use.value.kind == "unfilled" and reported_at_use(use, use.value)}
    for (name, period), decl in ev.definitions.items():
        if isinstance(decl, ast.Fact) and isinstance(decl.value, ast.Placeholder) and decl.value.span not in published:
            shown = ast.name_at(name, period)
            in_layout = decl.span.path != ev.header.span.path
            if in_layout and ((name, period) not in ev.used or ev.imported((name, period))):
                continue  # a layout's input nothing uses (its section was replaced), or last year's report fills it
            hint = (f"the layout needs it: add `fact {shown} = …` to the report" if in_layout
                    else "replace the ? with the figure or the text")
            yield error("RD401", f"'{shown}' is not filled in", decl.span, hint)
    for tree in ev.trees.values():
        for node in tree.walk():
            for measure, value in node.values.items():
                if isinstance(value, ast.Placeholder) and value.span not in published:
                    yield error("RD401", f"{measure} of '{node.name}' is not filled in", value.span,
                                "replace the ? with the figure")


@rule
def boundary_rounding(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        if isinstance(use.value, Quantity) and use.kind in ("text", "cell"):
            shown = rounds_to_boundary(use.value, use.format)
            if shown:
                yield error("RD306", f"{describe(use.value)} would be published as {shown}", use.span,
                            f"{shown} claims a rate it does not reach; show more decimals, e.g. "
                            f"{{…:%.2}} gives {format_quantity(use.value, '%.2')}")


_DIRECTION_BEFORE = re.compile(r"(增加|减少|增长|下降|持平|大于|小于|高于|低于)\s*$")


@rule
def direction_before_zero(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        if use.kind != "text" or not isinstance(use.value, Quantity):
            continue
        word = _DIRECTION_BEFORE.search(use.before)
        if word and _shown_as_zero(use.shown):
            yield error("RD402", f"'{word.group(1)} {use.shown}': a zero difference is written 持平, with no figure",
                        use.span, "write {if d != 0}{d:增减} {abs(d)} 万元{else}持平{end}")


def _shown_as_zero(text: str) -> bool:
    digits = text.rstrip("%")
    return bool(re.fullmatch(r"-?0+(\.0+)?", digits))

