"""Invariants: small rules in a registry, each yielding diagnostics about the evaluated report.

Figures agree by agreement.py's rules: typed figures are exact, a printed figure agrees with what
rounds to it, and the interval rule is an opt-in (`rounding interval`, or `check … interval`).
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from . import ast
from .agreement import Verdict, compare, rule_text
from .diagnostics import Diagnostic, Severity, error, warning
from . import precision, stale_text  # noqa: F401 - their rules register themselves
from .arithmetic import unit_error, units_compatible
from .evaluated import Evaluated
from .expr_printer import render_expr
from .number_text import amount, describe, format_quantity, rounds_to_boundary
from .model import Document, UseKind
from .rules import RULES, rule
from .values import PRINTED, Gap, Missing, Quantity

def run_checks(evaluated: Evaluated, document: Document, judge=None) -> list[Diagnostic]:
    """Every rule's diagnostics; what a rule meets while asking for values goes to evaluated's sink.
    `judge` decides each declared check in place of evaluate_check (an editor's, which keeps them)."""
    found: list[Diagnostic] = []
    for check in RULES:
        found.extend(declared_checks(evaluated, document, judge) if check is declared_checks and judge is not None
                     else check(evaluated, document))
    return found


def operand(expr, value: Quantity) -> str:
    """One side of a comparison: as typed, and, unless it is a literal, what it comes to."""
    if isinstance(expr, (ast.Number, ast.Percent)) or (isinstance(expr, ast.Neg) and isinstance(expr.operand, (ast.Number, ast.Percent))):
        return f"{render_expr(expr)} as printed" if value.decimals is not None else render_expr(expr)
    return f"{render_expr(expr)} = {describe(value)}"


# ---- built-in: parents equal the sum of their children -----------------------------------------


@rule
def parent_sums(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for tree in ev.names.trees.values():
        for node in tree.walk():
            if not node.children:
                continue
            for measure in tree.measures:
                stated = ev.stated_measure(node, measure)
                if not isinstance(stated, Quantity):
                    continue
                summed = ev.children_sum(node.children, measure, node.span)
                if isinstance(summed, Quantity) and units_compatible(stated, summed):
                    verdict = compare("==", stated, summed, ev.interval)
                    if not verdict.holds:
                        yield _sum_mismatch(node, measure, verdict)


def _sum_mismatch(node, measure, verdict: Verdict) -> Diagnostic:
    stated, summed = verdict.left, verdict.right
    return error("RD301", f"{measure} of '{node.name}' is {describe(stated)} but its items add up to {describe(summed)}",
                 node.span, rule_text(verdict),
                 "state the parent as '-' to derive it from its items, or correct an item")


# ---- declared checks ------------------------------------------------------------------------------------


@rule
def declared_checks(ev: Evaluated, document: Document, judge=None) -> Iterator[Diagnostic]:
    for check in ev.names.checks:
        diagnostic = (judge or evaluate_check)(ev, check)
        if diagnostic is not None:
            yield diagnostic


def _make(check: ast.Check):
    return warning if check.severity is Severity.WARNING else error


def evaluate_check(ev: Evaluated, check: ast.Check) -> Optional[Diagnostic]:
    judge = ev.under(check.rounding)
    expr = check.expr
    if isinstance(expr, ast.Compare):
        left, right = judge.eval(expr.left, PRINTED), judge.eval(expr.right, PRINTED)
        if isinstance(left, Quantity) and isinstance(right, Quantity):
            return _compare_check(judge, ev, check, expr, left, right)
        gap = next((v for v in (left, right) if isinstance(v, Missing)), None)
        if gap is not None:
            return _undecided(check, gap)
    value = judge.eval(expr, PRINTED)  # the interval twin's own faults are the report's, already given
    if isinstance(value, Missing):
        return _undecided(check, value)
    if value is False:
        return _make(check)("RD303", check.message, check.span, "the condition is false")
    if value is not True:
        return error("RD106", "a check must be a comparison or a condition", expr.span)
    return None


def _undecided(check: ast.Check, gap: Missing):
    if gap.kind in (Gap.FAILED, Gap.UNFILLED):  # an open input is reported once, where it is filled in
        return None
    code = "RD201" if gap.kind is Gap.ZERO_BASE else "RD401"
    return _make(check)(code, f"check cannot be decided: {gap.reason}", check.span, check.message,
                 related=((gap.span, "the missing value comes from here"),) if gap.span else ())


def _compare_check(judge: Evaluated, ev: Evaluated, check, expr: ast.Compare, left: Quantity, right: Quantity):
    if not units_compatible(left, right):
        return unit_error(expr, left, right, ev.names.header.unit)
    verdict = compare(expr.op, left, right, judge.interval)
    if verdict.holds:
        return None
    make = _make(check)
    exact_side = left if verdict.rule == "rounds to" and left.error == 0 else right
    values = (f"{operand(expr.left, left)}; {operand(expr.right, right)}",
              rule_text(verdict, exact_side if verdict.rule == "rounds to" else None))
    if expr.op != "==":
        return make("RD303", check.message, check.span, *values)
    wrong_base = _wrong_base(left, right) or _wrong_base(right, left)
    if wrong_base:
        return make("RD304", check.message, check.span, *values, wrong_base)
    return make("RD302", check.message, check.span, *values, *_other_base_note(left, right))


def _other_base_note(*sides: Quantity) -> tuple[str, ...]:
    """For a change rate, what the other year as denominator would give: a clue to the mistake."""
    for side in sides:
        if side.other_base is not None:
            shown = format_quantity(Quantity(side.other_base, "%"), "%.2")
            return (f"the current year as denominator would give {shown}; the prior year gives {_pct2(side)}",)
    return ()


def _pct2(q: Quantity) -> str:
    return format_quantity(q, "%.2")


def _wrong_base(derived: Quantity, stated: Quantity) -> str | None:
    other = derived.other_base
    if other is None or not compare("==", Quantity(other, "%"), stated).holds:
        return None
    return (f"{describe(stated)} is what the current year as denominator gives ({format_quantity(Quantity(other, '%'), '%.2')}); "
            f"a change rate is taken over the prior year: {_pct2(derived)}")


# ---- across years ------------------------------------------------------------------------------------------


@rule
def prior_year_agrees(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    """A prior-year figure typed here and also in last year's report must be the same figure."""
    for (name, period), decl in ev.names.definitions.items():
        imported = ev.imported((name, period))
        if imported is None:
            continue
        here, there = ev.value_of((name, period)), ev.prior.value_of(imported)
        if isinstance(here, Quantity) and isinstance(there, Quantity) and not compare("==", here, there, ev.interval).holds:
            origin = ev.prior.names.definitions[imported].span
            yield error("RD307", f"'{name}@上年' is {describe(here)} here but {describe(there)} in last year's report",
                        decl.span, rule_text(compare("==", here, there, ev.interval)),
                        "correct one of them, or take the figure from last year's report by deleting this line",
                        related=((origin, "last year's figure"),))


# ---- subsets (其中) ------------------------------------------------------------------------------------


@rule
def subsets(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for fact in ev.names.facts_within:
        part = ev.value_of((fact.target.name, ev.names.period(fact.target.period)))
        whole_name = ast.Name(fact.within.name, fact.within.period, span=fact.within.span)
        whole = ev.eval(whole_name, {})
        if isinstance(part, Quantity) and isinstance(whole, Quantity) and not units_compatible(part, whole):
            yield error("RD106", f"'{fact.target.name}' is in {part.unit} but its whole '{fact.within.name}' "
                        f"is in {whole.unit}", fact.span, "a 其中 figure has the unit of its whole")
        elif isinstance(part, Quantity) and isinstance(whole, Quantity):
            yield from _larger_than_whole(ev, fact, part, whole, whole_name)


def _larger_than_whole(ev: Evaluated, fact: ast.Fact, part: Quantity, whole: Quantity, whole_name) -> Iterator[Diagnostic]:
    """A 其中 figure larger than its whole as printed, or (when a printed total of the whole disagrees
    with its rows) larger than what the rows give."""
    from_rows = ev.from_rows().eval(whole_name, {})
    if not compare("<=", part, whole, ev.interval).holds:
        given = describe(whole)
    elif isinstance(from_rows, Quantity) and from_rows.value != whole.value and not compare("<=", part, from_rows, ev.interval).holds:
        whole, given = from_rows, f"{describe(from_rows)} as its rows add up"
    else:
        return
    yield error("RD305", f"'{fact.target.name}' ({describe(part)}) is part of '{fact.within.name}' "
                f"({given}) but larger than it", fact.span,
                f"a 其中 figure cannot exceed its whole; difference {amount(part.value - whole.value, part)}",
                related=((fact.within.span, "the whole is named here"),))


# ---- figures as they are published -----------------------------------------------------------------------


@rule
def gaps_in_text(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        value = use.value
        if isinstance(value, str) and not value.strip() and use.kind is UseKind.TEXT:
            yield error("RD401", "this text is empty, leaving a blank in the sentence", use.span,
                        "fill in the text, or leave the clause out with {if}")
        if not isinstance(value, Missing) or value.kind is Gap.FAILED:
            continue
        if value.kind is Gap.ZERO_BASE:
            yield error("RD201", f"{value.reason}, so this figure has no value", use.span,
                        "leave the clause out with {if base != 0}…{end}, or print a dash: {x ?? '—'}",
                        related=((value.span, "the division is here"),) if value.span else ())
        elif reported_at_use(use, value):
            yield error("RD401", f"a blank would be published here: {value.reason}", use.span,
                        fill_hint(ev, value), related=((value.span, "declared here"),) if value.span else ())


def fill_hint(ev: Evaluated, value: Missing) -> str:
    """Where to fill a gap: a layout's open input is filled in the report, not in the layout."""
    if value.kind is Gap.UNFILLED and value.span is not None and ev.names.header.span is not None \
            and value.span.path != ev.names.header.span.path and not isinstance(ev.names.header, ast.LayoutHeader):
        declared = next((d for d in ev.names.definitions.values()
                         if isinstance(d, ast.Fact) and d.value.span == value.span), None)
        if declared is not None:
            shown = ast.name_at(declared.target.name, declared.target.period)
            return f"the layout needs it: add `fact {shown} = …` to the report"
    text_kind = re.search(r"has no (reason|note)$", value.reason or "") if value.kind == "blank" else None
    if text_kind is not None:
        where = f" (line {value.span.line})" if value.span is not None else ""
        return f"write the item's {text_kind.group(1)}{where}: {text_kind.group(1)} \"…\" after its values"
    return "fill in the figure where it is declared"


def reported_at_use(use, value: Missing) -> bool:
    """A gap is shown where it would be published; a `?` is shown once, where it is typed, with the
    first place it would leave a blank as a note (unfilled_inputs)."""
    if value.kind is Gap.UNFILLED and value.span is not None:
        return False
    return use.kind is not UseKind.CELL or value.kind is Gap.UNFILLED


@rule
def unfilled_inputs(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    """Every `?` still in the report is reported once, where it is typed, so that a report made by
    `reportdsl new` or `next-year` lists all it still needs; the first sentence or table it would leave a
    blank in is a note."""
    if isinstance(ev.names.header, ast.LayoutHeader):
        return
    printed = first_blanks(document)
    for (name, period), decl in ev.names.definitions.items():
        if isinstance(decl, ast.Fact) and isinstance(decl.value, ast.Placeholder):
            shown = ast.name_at(name, period)
            in_layout = decl.span.path != ev.names.header.span.path
            if in_layout and ((name, period) not in ev.used or ev.imported((name, period))):
                continue  # a layout's input nothing uses (its section was replaced), or last year's report fills it
            hint = (f"the layout needs it: add `fact {shown} = …` to the report" if in_layout
                    else "replace the ? with the figure or the text")
            yield error("RD401", f"'{shown}' is not filled in", decl.span, hint, related=printed.get(decl.value.span, ()))
    for tree in ev.names.trees.values():
        for node in tree.notable:
            for measure, value in node.values.items():
                if isinstance(value, ast.Placeholder):
                    yield error("RD401", f"{measure} of '{node.name}' is not filled in", value.span,
                                "replace the ? with the figure", related=printed.get(value.span, ()))
            yield from unwritten_texts(node, printed)


def first_blanks(document: Document) -> dict:
    """The span of each `?` → a note on the first place the document would print a blank for it."""
    found: dict = {}
    for use in document.figures:
        value = use.value
        if isinstance(value, Missing) and value.kind is Gap.UNFILLED and value.span is not None and use.span is not None:
            found.setdefault(value.span, ((use.span, "it would leave a blank here"),))
    return found


def unwritten_texts(node, printed: dict) -> Iterator[Diagnostic]:
    """`reason ?`: last year's item had a reason; this year's is still to write."""
    for key, text in node.attributes.items():
        if isinstance(text, ast.Placeholder):
            yield error("RD401", f"the {key} of '{node.name}' is not written yet", text.span,
                        f"write why this year's figures differ: {key} \"…\"; or delete `{key} ?` if they no longer do",
                        related=printed.get(text.span, ()))


@rule
def boundary_rounding(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        if isinstance(use.value, Quantity) and use.kind in (UseKind.TEXT, UseKind.CELL):
            shown = rounds_to_boundary(use.value, use.format)
            if shown:
                yield error("RD306", f"{describe(use.value)} would be published as {shown}", use.span,
                            f"{shown} claims a rate it does not reach; show more decimals, e.g. "
                            f"{{…:%.2}} gives {format_quantity(use.value, '%.2')}")


_DIRECTION_BEFORE = re.compile(r"(增加|减少|增长|下降|持平|大于|小于|高于|低于)\s*$")


@rule
def direction_before_zero(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    for use in document.figures:
        if use.kind is not UseKind.TEXT or not isinstance(use.value, Quantity):
            continue
        word = _DIRECTION_BEFORE.search(use.before)
        if word and _shown_as_zero(use.shown):
            yield error("RD402", f"'{word.group(1)} {use.shown}': a zero difference is written 持平, with no figure",
                        use.span, "write {if d != 0}{d:增减} {abs(d)} 万元{else}持平{end}")


def _shown_as_zero(text: str) -> bool:
    digits = text.rstrip("%")
    return bool(re.fullmatch(r"-?0+(\.0+)?", digits))



@rule
def wording(ev: Evaluator, document: Document) -> Iterator[Diagnostic]:
    """A word written twice, a budget comparison without its reason: in the text as it will be published."""
    from .model import Paragraph
    from .wording import wording_problems

    for block in document.blocks:
        if isinstance(block, Paragraph):
            for problem in wording_problems(block.full_text):
                yield warning(problem.code, f"{problem.message}: “{_excerpt(block.full_text, problem)}”", block.span,
                              problem.help)


def _excerpt(text: str, problem) -> str:
    start, end = max(0, problem.start - 12), problem.end + 12
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# ---- a published document's figures (`stated`) -----------------------------------------------------------


@rule
def stated_figures(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    from .stated import stated_diagnostics

    yield from stated_diagnostics(ev)


# ---- template leftovers ------------------------------------------------------------------------------------


@rule
def template_leftovers(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    from .leftovers import find_leftovers, literal_pieces, piece_span, stated_texts

    for text, span in literal_pieces(ev.names.source_report):
        for start, end, found, meaning in find_leftovers(text):
            yield error("RD403", f"template leftover in published text: '{found}'", piece_span(span, text, start, end),
                        meaning)
    for text, block, entry in stated_texts(ev.names.stated):
        make = warning if block.severity is Severity.WARNING else error
        for _, _, found, meaning in find_leftovers(text):
            yield make("RD403", f"template leftover in the published text: '{found}'", entry.span,
                       meaning, f"in “{text}”")


# ---- an item's purpose copied from another item -----------------------------------------------------------


@rule
def copied_purposes(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    from .item_purposes import copied_purposes as copies

    def note_of(node):
        note = node.attributes.get("note")
        value = ev.eval(note, {}) if isinstance(note, ast.Template) else None  # `note ?`: none written yet
        return value if isinstance(value, str) else None

    for node, owner, purpose in copies(ev.names.trees.values(), note_of):
        yield warning("RD547", f"the purpose of '{node.name}' ({purpose}) is the one of '{owner.name}', which it names",
                      node.span, f"write what '{node.name}' is spent on",
                      related=((owner.span, f"'{owner.name}' has the same purpose"),))


# ---- names against the standard classification ------------------------------------------------------------


@rule
def standard_names(ev: Evaluated, document: Document) -> Iterator[Diagnostic]:
    from .classification import Names, local_names, name_mismatches

    local, problems = local_names(ev.names.classifications)
    yield from problems
    yield from name_mismatches(ev.names.trees.values(), Names(ev.names.header.year, local))
