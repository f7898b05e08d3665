"""The one-line answer `reportdsl explain` gives first: a figure as the arithmetic of the figures it is
made of, as a reviewer would check it with a calculator:

    3.3% = (389.33 − 376.72) / 376.72, over the prior year
    351.69 万元 = the sum of 4 items of gpb
    376.72 万元, typed at hongshan_2023.rpt:51
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from . import ast
from .evaluate import Evaluator
from .expr_printer import render_expr
from .number_text import format_quantity
from .values import Missing, NodeValue, Quantity, TreeValue

OPERATORS = {"+": "+", "-": "−", "*": "×", "/": "/"}
CLAUSES = {"change": "over the prior year", "rate": "of the budget", "share": "of the whole"}


def printed(value) -> str:
    if isinstance(value, Quantity):
        text = format_quantity(value, None)
        unit = f" {value.unit}" if value.unit and not value.is_ratio and value.unit not in text else ""
        return text + unit
    if isinstance(value, Missing):
        return f"(no value: {value.reason})"
    if isinstance(value, str):
        return f"“{value}”"
    return render_expr(value) if isinstance(value, ast.Template) else str(value)


def bare(value) -> str:
    """A figure in a formula: its printed digits, without its unit."""
    return format_quantity(value, None) if isinstance(value, Quantity) else printed(value)


class Answer:
    def __init__(self, ev: Evaluator, report_path: str):
        self.ev = ev
        self.folder = Path(report_path).resolve().parent

    def line(self, expr, scope: dict) -> str:
        """`收支变动率: -6.6% = (351.69 − 376.72) / 376.72, over the prior year`."""
        value = self.ev.eval(expr, scope)
        label = f"{render_expr(expr)}: " if isinstance(expr, (ast.Name, ast.Attr)) else ""
        definition = self.definition(expr, scope)
        if definition is None:
            formula, clause = self.formula(expr, scope)
            return f"{label}{printed(value)} = {formula}{clause}"
        return f"{label}{printed(value)}{definition}"

    def definition(self, expr, scope: dict) -> Optional[str]:
        """For a name: how it is defined (typed where, or computed how); None for an expression."""
        if not isinstance(expr, ast.Name) or expr.name in scope:
            return None
        key = (expr.name, self.ev.period(expr.period))
        decl = self.ev.definitions.get(key)
        if decl is None and self.ev.imported(key) is not None:
            prior = self.ev.prior
            decl = prior.definitions[self.ev.imported(key)]
            report = prior.header.span.path if prior.header.span is not None else "the prior-year report"
            typed = "" if decl.span is None or decl.span.path == report else f", computed at {self.place(decl.span)}"
            where = self.place(decl.span) if decl.span is not None and decl.span.path == report else \
                readable_place(prior.header.span, self.folder).split(":")[0]
            return f", last year's {expr.name} from {where}{typed}"
        if decl is None:
            return None
        if isinstance(decl, ast.Let):
            if isinstance(decl.expr, ast.Name):
                return f" = {render_expr(decl.expr)}"
            formula, clause = self.formula(decl.expr, {})
            if formula == self.operand(decl.expr, {}) and not isinstance(decl.expr, (ast.Number, ast.Percent)):
                formula = render_expr(decl.expr)  # no arithmetic to show: the definition as written
            return f" = {formula}{clause}"
        return f", typed at {self.place(decl.span)}"

    def formula(self, expr, scope: dict, nested: bool = False, expand: bool = True) -> tuple[str, str]:
        """The arithmetic with the figures' printed values, and the clause that says what a rate is over."""
        if isinstance(expr, ast.Name) and expand and expr.name not in scope:
            decl = self.ev.definitions.get((expr.name, self.ev.period(expr.period)))
            if isinstance(decl, ast.Let) and isinstance(decl.expr, (ast.Call, ast.BinOp)):
                return self.formula(decl.expr, {}, nested, expand=False)
        if isinstance(expr, ast.Call) and expr.function in CLAUSES and len(expr.args) == 2:
            a, b = (self.operand(arg, scope) for arg in expr.args)
            text = f"({a} − {b}) / {b}" if expr.function == "change" else f"{a} / {b}"
            return (f"({text})" if nested else text), f", {CLAUSES[expr.function]}"
        if isinstance(expr, ast.Call) and expr.function == "abs" and len(expr.args) == 1:
            inner, clause = self.formula(expr.args[0], scope, False, expand)
            return f"|{inner}|", clause
        if isinstance(expr, ast.BinOp) and expr.op in OPERATORS:
            additive = expr.op in "+-"
            left_nested = not (additive or isinstance(expr.left, ast.BinOp) and expr.left.op in "*/")
            left, clause_left = self.formula(expr.left, scope, left_nested, False)
            right, clause_right = self.formula(expr.right, scope, True, False)
            text = f"{left} {OPERATORS[expr.op]} {right}"
            return (f"({text})" if nested else text), clause_left or clause_right
        if isinstance(expr, ast.Neg):
            inner, clause = self.formula(expr.operand, scope, True, expand)
            return f"−{inner}", clause
        owner = self.ev.eval(expr.target, scope) if isinstance(expr, ast.Attr) else None
        if isinstance(owner, TreeValue) and not nested:
            return f"the sum of {len(self.ev.trees[owner.name].roots)} items of {owner.name}", ""
        if isinstance(owner, NodeValue) and not nested:
            node = owner.node
            if node.children and self.ev.stated_measure(node, expr.name) is None:
                return f"the sum of {len(node.children)} items under {node.name}", ""
            return f"typed at {self.place(node.span)} ({node.name})", ""
        return self.operand(expr, scope), ""

    def operand(self, expr, scope: dict) -> str:
        value = self.ev.eval(expr, scope)
        if isinstance(value, Quantity):
            return bare(value)
        return render_expr(expr)

    def place(self, span) -> str:
        return readable_place(span, self.folder)


def readable_place(span, folder: Path) -> str:
    """`hongshan_2023.rpt:150`, relative to the report's folder; `layout hubei:361` for a packaged layout."""
    if span is None:
        return "(nowhere)"
    path = Path(span.path)
    if "site-packages" in path.parts or path.parent.name == "layouts" and path.parent.parent.name == "reportdsl":
        return f"layout {path.stem}:{span.line}"
    try:
        shown = os.path.relpath(path.resolve(), folder)
    except ValueError:
        shown = span.path
    return f"{Path(shown).as_posix()}:{span.line}"


# ---- explaining: the answer first, then the inputs as deep as asked ---------------------------------------


class Explainer:
    """`explain`'s default: each figure's one-line answer, then its inputs' answers, `depth` levels down."""

    def __init__(self, result, depth: int, ev: Optional[Evaluator] = None):
        self.result, self.ev, self.depth = result, ev or result.evaluator, depth
        self.answer = Answer(self.ev, result.source.path)  # places relative to the report explained
        self.seen: set = set()

    def figure(self, expr, scope: dict, indent: str = "", level: int = 0) -> list[str]:
        line = self.answer.line(expr, scope)
        lines = [f"{indent}{line}"]
        if level >= self.depth:
            return lines
        last_year = self.in_prior(expr, scope)
        if last_year is not None:  # last year's figure: how last year's report made it, a level down
            return lines + Explainer(self.result, self.depth - level - 1, self.ev.prior).figure(last_year, {}, indent + "  ")
        for reference, inner_scope in self.inputs(expr, scope):
            if self.answer.line(reference, inner_scope).split(": ", 1)[-1] == line.split(": ", 1)[-1]:
                continue  # the same figure under another name adds nothing
            key = (render_expr(reference), tuple(sorted((k, id(v)) for k, v in inner_scope.items())))
            if key in self.seen:
                continue
            self.seen.add(key)
            lines += self.figure(reference, inner_scope, indent + "  ", level + 1)
        return lines

    def in_prior(self, expr, scope: dict) -> Optional[ast.Name]:
        """`X@上年` given by last year's report: X there, when it is computed (a typed one is one line)."""
        if not isinstance(expr, ast.Name) or expr.name in scope:
            return None
        key = (expr.name, self.ev.period(expr.period))
        imported = None if key in self.ev.definitions else self.ev.imported(key)
        if imported is None or not isinstance(self.ev.prior.definitions.get(imported), ast.Let):
            return None
        return ast.Name(expr.name, None, span=expr.span)

    def inputs(self, expr, scope: dict):
        """The figures a figure is made of: those its definition names, or the expression's own."""

        if isinstance(expr, ast.Name) and expr.name not in scope:
            key = (expr.name, self.ev.period(expr.period))
            decl = self.ev.definitions.get(key)
            if isinstance(decl, ast.Let):
                expr, scope = decl.expr, {}
            else:
                return
        elif isinstance(expr, ast.Attr):
            return
        for reference in ast.references(expr):
            if isinstance(reference, ast.Name) and (reference.name in scope or reference.name in self.ev.builtins()
                                                    or reference.name in self.ev.trees) and reference.period is None:
                continue
            if isinstance(reference, (ast.Name, ast.Attr)) and isinstance(self.ev.eval(reference, scope), Quantity):
                yield reference, scope


def sentence_figures(result, paragraph, text):
    """The sentence of a paragraph that holds `text` (the whole paragraph without one), and the figures
    printed in it: numbers, not words (增加, a reason) nor the year."""
    from .number_text import DIRECTION_WORDS

    full = paragraph.full_text
    first, last = paragraph.figures
    uses = [u for u in result.document.figures[first:last] if u.kind == "text"]
    spans, cursor = [], len(paragraph.number)
    for use in uses:
        found = full.find(use.shown, cursor) if use.shown else -1
        spans.append(found)
        cursor = found + len(use.shown) if found >= 0 else cursor
    start, end = sentence_bounds(full, full.find(text) if text else -1)
    picked = [u for u, at in zip(uses, spans) if start <= at < end and isinstance(u.value, Quantity)
              and u.format not in DIRECTION_WORDS and u.expr is not None and not only_builtins(result, u.expr)]
    return full[start:end], picked


def sentence_bounds(text: str, at: int) -> tuple[int, int]:
    if at < 0:
        return 0, len(text)
    start = max(text.rfind(mark, 0, at) for mark in "。；") + 1
    ends = [i for i in (text.find(mark, at) for mark in "。；") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def only_builtins(result, expr) -> bool:

    names = list(ast.references(expr))
    return bool(names) and all(isinstance(r, ast.Name) and r.name in result.evaluator.builtins() for r in names)
