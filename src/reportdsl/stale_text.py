"""Stale and implausible text: what a report carried over from last year, or typed in the wrong kind,
that the figures no longer bear out. Rules registered into checks.RULES.

- RD411: a reason that tells of a direction (an increase, a decrease, nothing spent) printed with
  figures that went the other way;
- RD412: a completion or execution rate over 100% that nothing in its section explains;
- RD413: a figure printed in a format of another kind (an amount or a count as a percentage, a
  percentage as an amount);
- RD414: a rate (a fact named …率) typed as a plain number: `100` where `100%` is meant.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator, Optional

from . import ast
from .diagnostics import Diagnostic, error, warning
from .evaluated import Evaluated
from .expr_printer import render_expr
from .model import Document, FigureUse, Heading, Paragraph, UseKind
from .number_text import DIRECTION_WORDS
from .number_text import figure as show
from .rules import rule
from .values import Gap, Missing, NodeValue, Quantity

UP = re.compile(r"新增|增加|增长|增多|提高|上升|扩大|超支|上涨|调增|较多")
DOWN = re.compile(r"减少|下降|压减|节约|缩减|降低|调减|较少|压缩|节省|精简|取消")
NOTHING = re.compile(r"没有|未发生|未开展|未安排|不依托|(?<![增减])无(?!变化)")
LAST_YEAR_NOTHING = re.compile(r"(上年度?|去年|以前年度)(没有|无|未)")  # about last year, not this one
REASON_BEFORE = re.compile(r"原因(是|为|：|:)\s*$")
RATE_BEFORE = re.compile(r"(完成[^，。；：]{0,12}的|执行率|完成率)(为|达到|达)?\s*$")
ACTUAL_MEASURES = ("决算", "执行数", "本年支出", "金额", "actual")
PERCENT_FORMATS = re.compile(r"%")
AMOUNT_FORMATS = re.compile(r"^(\.\d+|g|cn)$")


def paragraph_uses(document: Document) -> Iterator[tuple[int, Paragraph, list[FigureUse]]]:
    """Each paragraph (with its index among the blocks) and the figures printed in it, in order."""
    for index, block in enumerate(document.blocks):
        if isinstance(block, Paragraph):
            first, last = block.figures
            yield index, block, list(document.figures[first:last])


# ---- RD411: a reason written for another direction ---------------------------------------------------


def direction_of(text: str) -> Optional[str]:
    """up, down or nothing (spent), when the reason says one of them and only one."""
    text = LAST_YEAR_NOTHING.sub("", text)
    found = [name for name, words in (("up", UP), ("down", DOWN), ("nothing", NOTHING)) if words.search(text)]
    return found[0] if len(found) == 1 else None


def figure_direction(uses: list[FigureUse]) -> Optional[FigureUse]:
    """The nearest figure before the reason printed as a direction word (增加/减少, 大于/小于 …)."""
    for use in reversed(uses):
        if use.format in DIRECTION_WORDS and isinstance(use.value, Quantity):
            return use
    return None


def spent(ev: Evaluated, use: FigureUse) -> Optional[Quantity]:
    """What the item whose reason this is spent (its 决算), for `x.reason`."""
    if not (isinstance(use.expr, ast.Attr) and use.expr.name == "reason"):
        return None
    owner = ev.eval(use.expr.target, use.scope)
    if not isinstance(owner, NodeValue):
        return None
    measures = ev.names.trees[owner.node.tree].measures
    measure = next((m for m in ACTUAL_MEASURES if m in measures), None)
    value = ev.measure(owner.node, measure, None) if measure else None
    return value if isinstance(value, Quantity) else None


def reason_source(ev: Evaluated, use: FigureUse):
    """Where the reason is written (an item's `reason "…"`, or a fact), and what it belongs to."""
    if isinstance(use.expr, ast.Attr) and use.expr.name == "reason":
        owner = ev.eval(use.expr.target, use.scope)
        if isinstance(owner, NodeValue):
            template = owner.node.attributes.get("reason")
            return (template.span if isinstance(template, ast.Template) else owner.node.span), f"'{owner.node.name}'"
    if isinstance(use.expr, ast.Name):
        decl = ev.names.definitions.get((use.expr.name, ev.names.period(use.expr.period)))
        if decl is not None:
            return decl.span, f"'{use.expr.name}'"
    return use.span, "this sentence"


@rule
def stale_reasons(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for _, _, uses in paragraph_uses(document):
        for index, use in enumerate(uses):
            is_text = use.kind is UseKind.WORDS or (use.kind is UseKind.TEXT and isinstance(use.value, str))
            if is_text and REASON_BEFORE.search(use.before):
                found = _stale_reason(ev, use, uses[:index])
                if found is not None:
                    yield found


def _stale_reason(ev: Evaluated, use: FigureUse, before: list[FigureUse]) -> Optional[Diagnostic]:
    said = direction_of(use.shown)
    if said is None:
        return None
    direction = figure_direction(before)
    if direction is not None and reads_unfilled(ev, direction):
        return None  # "决算数{… ?? 0 …:大小}预算数" over a `?`: the direction waits for the figure asked for
    sign = direction.value.value if direction is not None and direction.value.value != 0 else Decimal(0)
    amount = spent(ev, use)
    if said == "nothing" and "未发生" in use.before:
        return None  # "未发生…支出的主要原因是…": nothing spent is what the sentence explains
    if (said == "up" and sign < 0) or (said == "down" and sign > 0):
        figures = f"its sentence says {direction.shown}"
    elif said == "nothing" and amount is not None and amount.value != 0:
        figures = f"{show(amount)} was spent"
    elif said == "nothing" and sign > 0:
        figures = f"the sentence says {direction.shown} {direction_amount(before, direction)}".rstrip()
    else:
        return None
    told = {"up": "an increase", "down": "a decrease", "nothing": "nothing spent"}[said]
    where, owner = reason_source(ev, use)
    return warning("RD411", f"the reason '{use.shown}' tells of {told}, but {figures}; it was written for "
                   "other figures (last year's?)", where,
                   f"write this year's reason for {owner}",
                   related=((use.span, "published here"),) if use.span != where else ())


def reads_unfilled(ev: Evaluated, use: FigureUse) -> bool:
    """Whether the figure reads, itself or through the lets it names, a value still marked `?` (an
    `x ?? 0` reads it as 0 until it is filled)."""
    pending, seen = [use.expr], set()
    while pending and len(seen) < 200:
        for node in ast.walk(pending.pop()):
            if not isinstance(node, (ast.Name, ast.Attr)) or isinstance(node, ast.Name) and node.name in ("year", "department"):
                continue
            value = ev.eval(node, use.scope)
            if isinstance(value, Missing) and value.kind is Gap.UNFILLED:
                return True
            if isinstance(node, ast.Name):
                decl = ev.names.definitions.get((node.name, ev.names.period(node.period)))
                if isinstance(decl, ast.Let) and id(decl) not in seen:
                    seen.add(id(decl))
                    pending.append(decl.expr)
    return False


def direction_amount(uses: list[FigureUse], direction: FigureUse) -> str:
    """The figure printed right after a direction word ("增加 0.35"), when there is one."""
    after = uses[uses.index(direction) + 1:]
    return after[0].shown if after and isinstance(after[0].value, Quantity) else ""


# ---- RD412: a completion rate over 100% that nothing explains ------------------------------------------


@rule
def rates_over_100(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for index, paragraph, uses in paragraph_uses(document):
        for position, use in enumerate(uses):
            value = use.value
            if use.kind != "text" or not isinstance(value, Quantity) or not value.is_ratio or value.value <= 1:
                continue
            if not RATE_BEFORE.search(use.before) or _explained(document, index, paragraph, use):
                continue
            yield warning("RD412", f"a completion or execution rate of {use.shown}: more was spent than the budget "
                          "it is taken over", use.span,
                          "say why in the sentence or its section (…主要原因是…), or check the budget: "
                          "is it this year's full-year budget?")


def _explained(document: Document, index: int, paragraph: Paragraph, use: FigureUse) -> bool:
    """A reason after the rate in its paragraph, or in a paragraph of the same section after it."""
    rest = paragraph.full_text.split(use.shown, 1)[-1]
    if "原因" in rest:
        return True
    for block in document.blocks[index + 1:]:
        if isinstance(block, Heading):
            return False
        if isinstance(block, Paragraph) and "原因" in block.full_text:
            return True
    return False


# ---- RD413 / RD414: a figure of one kind printed or typed as another ----------------------------------------


def kind_of(value: Quantity) -> str:
    if value.is_ratio:
        return "a percentage"
    if value.unit is None:
        return "a plain number"
    return f"an amount in {value.unit}" if value.unit in ("万元", "元", "亿元") else f"a count in {value.unit}"


@rule
def figures_in_another_kind(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        value = use.value
        if use.kind not in ("text", "cell") or not isinstance(value, Quantity) or not use.format:
            continue
        if PERCENT_FORMATS.search(use.format) and not value.is_ratio and not _a_fraction(value):
            yield error("RD413", f"{kind_of(value)} printed as a percentage: {show(value)} would read {use.shown}",
                        use.span, *_percent_help(ev, use))
        elif AMOUNT_FORMATS.match(use.format) and value.is_ratio:
            yield error("RD413", f"a percentage printed as {'a number' if use.format != 'cn' else 'a numeral'}: "
                        f"{show(value)} would read {use.shown}", use.span,
                        f"print it as a percentage: {{{render_expr(use.expr)}:%.1}}" if use.expr is not None
                        else "print it with a percent format, %.1")


def _a_fraction(value: Quantity) -> bool:
    """A plain number from -1 to 1 (`let x = 0.5`) may be meant as a fraction; 100 (10000%) is not."""
    return value.unit is None and abs(value.value) <= 1


def _percent_help(ev: Evaluated, use: FigureUse) -> tuple[str, ...]:
    fact = typed_fact(ev, use.expr)
    if fact is not None and isinstance(fact.value, ast.Number):
        typed = f"{fact.value.value}"
        return (f"'{fact.target.name}' is typed as {typed} (a plain number takes the report's unit); "
                f"for a percentage type {typed}%: fact {fact.target.name} = {typed}%",)
    return ("print it with its own format (drop the %), or compute the rate: rate(part, whole)",)


def typed_fact(ev: Evaluated, expr) -> Optional[ast.Fact]:
    if isinstance(expr, ast.Name):
        decl = ev.names.definitions.get((expr.name, ev.names.period(expr.period)))
        return decl if isinstance(decl, ast.Fact) else None
    return None


@rule
def rates_typed_as_numbers(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    """`fact 办复率 = 100`: a rate's name, a number's value; the percent sign was meant."""
    shown_as_percent = {use.expr.name for use in document.figures
                        if isinstance(use.expr, ast.Name) and use.format and "%" in use.format}
    for (name, period), decl in ev.names.definitions.items():
        if not (isinstance(decl, ast.Fact) and isinstance(decl.value, ast.Number) and name.endswith("率")):
            continue
        if name in shown_as_percent or decl.value.unit not in (None,):
            continue  # RD413 says it where it is printed; a count with a unit is what its author meant
        typed = f"{decl.value.value}"
        yield warning("RD414", f"'{name}' is a rate typed as the number {typed}", decl.value.span,
                      f"for a percentage type {typed}%: fact {name} = {typed}%")
