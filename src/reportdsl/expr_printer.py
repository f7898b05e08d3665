"""Expressions back to source text: for the source printer, and for messages that quote an expression."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Optional

from . import ast
from .source import SourceFile

# Binding strength of each expression kind; a child binding more weakly than its parent is wrapped.
PRECEDENCE = {
    ast.Coalesce: 1, ast.Logic: 2, ast.Not: 4, ast.Compare: 5, ast.Neg: 8,
    ast.Attr: 9, ast.Index: 9, ast.Call: 10, ast.Comprehension: 10, ast.Name: 10,
    ast.Number: 10, ast.Percent: 10, ast.Text: 10, ast.Template: 10,
}
BINOP_PRECEDENCE = {"+": 6, "-": 6, "*": 7, "/": 7}


def precedence(expr) -> int:
    if isinstance(expr, ast.BinOp):
        return BINOP_PRECEDENCE[expr.op]
    if isinstance(expr, ast.Logic):
        return 2 if expr.op == "or" else 3
    return PRECEDENCE[type(expr)]


def decimal_text(value: Decimal, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if "{" in text or '"' in text:
        return "'" + escaped.replace("'", "\\'") + "'"
    return '"' + escaped + '"'


class ExprPrinter:
    def __init__(self, source: Optional[SourceFile]):
        self.source = source
        self.dispatch: dict[type, Callable] = {
            ast.Number: self.number, ast.Percent: self.percent, ast.Text: self.text, ast.Name: self.name,
            ast.Attr: self.attr, ast.Index: self.index, ast.Call: self.call, ast.Comprehension: self.comprehension,
            ast.BinOp: self.binop, ast.Compare: self.compare, ast.Logic: self.logic, ast.Not: self.not_,
            ast.Neg: self.neg, ast.Coalesce: self.coalesce, ast.Template: self.template,
        }

    def __call__(self, expr) -> str:
        return self.dispatch[type(expr)](expr)

    def wrapped(self, expr, minimum: int) -> str:
        text = self(expr)
        return f"({text})" if precedence(expr) < minimum else text

    def number(self, expr: ast.Number) -> str:
        return decimal_text(expr.value, expr.decimals) + (f" {expr.unit}" if expr.unit else "")

    def percent(self, expr: ast.Percent) -> str:
        return decimal_text(expr.value * 100, expr.decimals - 2) + "%"

    def text(self, expr: ast.Text) -> str:
        return quote(expr.value)

    def name(self, expr: ast.Name) -> str:
        return expr.name + (f"@{expr.period}" if expr.period else "")

    def attr(self, expr: ast.Attr) -> str:
        return f"{self.wrapped(expr.target, 9)}.{expr.name}"

    def index(self, expr: ast.Index) -> str:
        return f"{self.wrapped(expr.target, 9)}[{expr.key}]"

    def call(self, expr: ast.Call) -> str:
        return f"{expr.function}({', '.join(self(arg) for arg in expr.args)})"

    def comprehension(self, expr: ast.Comprehension) -> str:
        condition = f" if {self(expr.condition)}" if expr.condition is not None else ""
        return f"{expr.function}({self(expr.element)} for {expr.variable} in {self(expr.sequence)}{condition})"

    def binop(self, expr: ast.BinOp) -> str:
        level = BINOP_PRECEDENCE[expr.op]
        return f"{self.wrapped(expr.left, level)} {expr.op} {self.wrapped(expr.right, level + 1)}"

    def compare(self, expr: ast.Compare) -> str:
        return f"{self.wrapped(expr.left, 6)} {expr.op} {self.wrapped(expr.right, 6)}"

    def logic(self, expr: ast.Logic) -> str:
        level = precedence(expr)
        return f"{self.wrapped(expr.left, level)} {expr.op} {self.wrapped(expr.right, level + 1)}"

    def not_(self, expr: ast.Not) -> str:
        return f"not {self.wrapped(expr.operand, 4)}"

    def neg(self, expr: ast.Neg) -> str:
        return f"-{self.wrapped(expr.operand, 8)}"

    def coalesce(self, expr: ast.Coalesce) -> str:
        return f"{self.wrapped(expr.left, 1)} ?? {self.wrapped(expr.right, 2)}"

    def template(self, expr: ast.Template) -> str:
        if self.source is None:  # printing for a message, without the file at hand
            return '"…"'
        return join_lines(raw_string(self.source, expr))


def join_lines(raw: str) -> str:
    """A quoted text on one line, meaning unchanged: a line break in prose disappears with its
    indentation; one inside {…} becomes a space, which separates tokens as the break did."""
    out, depth, index = [], 0, 0
    while index < len(raw):
        ch = raw[index]
        if ch == "\n":
            while out and out[-1] in " \t":
                out.pop()
            index += 1
            while index < len(raw) and raw[index] in " \t":
                index += 1
            if depth:
                out.append(" ")
            continue
        if raw.startswith("{{", index) or raw.startswith("}}", index):
            out.append(raw[index : index + 2])
            index += 2
            continue
        depth += 1 if ch == "{" else -1 if ch == "}" and depth else 0
        out.append(ch)
        index += 1
    return "".join(out)


def raw_string(source: SourceFile, template: ast.Template) -> str:
    """The quoted text as the author wrote it, quotes included."""
    return source.text[template.span.start - 1 : template.span.end + 1]
