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
        value = self.ev.eval(expr, scope)
        definition = self.definition(expr, scope)
        if definition is None:
            return f"{printed(value)} = {self.formula(expr, scope)}"
        return f"{printed(value)}{definition}"

    def definition(self, expr, scope: dict) -> Optional[str]:
        """For a name: how it is defined (typed where, or computed how); None for an expression."""
        if not isinstance(expr, ast.Name) or expr.name in scope:
            return None
        key = (expr.name, self.ev.period(expr.period))
        decl, owner = self.ev.definitions.get(key), self.ev
        if decl is None and self.ev.imported(key) is not None:
            owner, key = self.ev.prior, self.ev.imported(key)
            decl = owner.definitions[key]
            return f", last year's figure: {self.place(decl.span)} ({self.show_name(expr)} in the prior-year report)"
        if decl is None:
            return None
        if isinstance(decl, ast.Let):
            return f" = {self.formula(decl.expr, {})}"
        return f", typed at {self.place(decl.span)}"

    def formula(self, expr, scope: dict, nested: bool = False) -> str:
        if isinstance(expr, ast.Call) and expr.function in CLAUSES and len(expr.args) == 2:
            a, b = (self.operand(arg, scope) for arg in expr.args)
            text = f"({a} − {b}) / {b}" if expr.function == "change" else f"{a} / {b}"
            return f"{text}, {CLAUSES[expr.function]}" if not nested else f"({text})"
        if isinstance(expr, ast.Call) and expr.function == "abs" and len(expr.args) == 1:
            return f"|{self.formula(expr.args[0], scope, True)}|"
        if isinstance(expr, ast.BinOp) and expr.op in OPERATORS:
            text = f"{self.formula(expr.left, scope, True)} {OPERATORS[expr.op]} {self.formula(expr.right, scope, True)}"
            return f"({text})" if nested else text
        if isinstance(expr, ast.Neg):
            return f"−{self.formula(expr.operand, scope, True)}"
        if isinstance(expr, ast.Attr) and isinstance(self.ev.eval(expr.target, scope), TreeValue):
            tree = self.ev.trees[self.ev.eval(expr.target, scope).name]
            text = f"the sum of {len(tree.roots)} items of {tree.name}"
            return f"{bare(self.ev.eval(expr, scope))}" if nested else text
        if isinstance(expr, ast.Attr) and isinstance(self.ev.eval(expr.target, scope), NodeValue) and not nested:
            node = self.ev.eval(expr.target, scope).node
            if node.children and self.ev.stated_measure(node, expr.name) is None:
                return f"the sum of {len(node.children)} items under {node.name}"
            return f"{expr.name} of {node.name}, typed at {self.place(node.span)}"
        return self.operand(expr, scope)

    def operand(self, expr, scope: dict) -> str:
        value = self.ev.eval(expr, scope)
        if isinstance(value, Quantity):
            return bare(value)
        return render_expr(expr)

    def place(self, span) -> str:
        return readable_place(span, self.folder)

    def show_name(self, expr: ast.Name) -> str:
        return expr.name


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
