"""Expressions back to source text: for the source printer, and for messages that quote an expression."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Optional

from . import ast
from .source import SourceFile
from .syntax_rules import ATOM_PRECEDENCE, NEGATION_PRECEDENCE, OPERATOR_PRECEDENCE, POSTFIX_PRECEDENCE

def precedence(expr) -> int:
    """How strongly an expression binds (syntax_rules.OPERATOR_PRECEDENCE); a child binding more
    weakly than its place needs is wrapped in parentheses."""
    if isinstance(expr, (ast.BinOp, ast.Compare, ast.Logic)):
        return OPERATOR_PRECEDENCE[expr.op]
    if isinstance(expr, ast.Coalesce):
        return OPERATOR_PRECEDENCE["??"]
    if isinstance(expr, ast.Not):
        return OPERATOR_PRECEDENCE["not"]
    if isinstance(expr, ast.Neg):
        return NEGATION_PRECEDENCE
    if isinstance(expr, (ast.Attr, ast.Index)):
        return POSTFIX_PRECEDENCE
    return ATOM_PRECEDENCE


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
            ast.BinOp: self.infix, ast.Compare: self.compare, ast.Logic: self.infix, ast.Not: self.not_,
            ast.Neg: self.neg, ast.Coalesce: self.infix, ast.Template: self.template,
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
        return ast.name_at(expr.name, expr.period)

    def attr(self, expr: ast.Attr) -> str:
        return f"{self.wrapped(expr.target, POSTFIX_PRECEDENCE)}.{expr.name}"

    def index(self, expr: ast.Index) -> str:
        return f"{self.wrapped(expr.target, POSTFIX_PRECEDENCE)}[{expr.key}]"

    def call(self, expr: ast.Call) -> str:
        return f"{expr.function}({', '.join(self(arg) for arg in expr.args)})"

    def comprehension(self, expr: ast.Comprehension) -> str:
        condition = f" if {self(expr.condition)}" if expr.condition is not None else ""
        return f"{expr.function}({self(expr.element)} for {expr.variable} in {self(expr.sequence)}{condition})"

    def infix(self, expr: ast.BinOp | ast.Logic | ast.Coalesce) -> str:
        """Left-associative: `a - b - c` is `(a - b) - c`, so only a right operand as weak needs parentheses."""
        level = precedence(expr)
        operator = "??" if isinstance(expr, ast.Coalesce) else expr.op
        return f"{self.wrapped(expr.left, level)} {operator} {self.wrapped(expr.right, level + 1)}"

    def compare(self, expr: ast.Compare) -> str:
        """Comparisons do not chain: either side that is itself a comparison is wrapped."""
        level = precedence(expr) + 1
        return f"{self.wrapped(expr.left, level)} {expr.op} {self.wrapped(expr.right, level)}"

    def not_(self, expr: ast.Not) -> str:
        return f"not {self.wrapped(expr.operand, precedence(expr))}"

    def neg(self, expr: ast.Neg) -> str:
        return f"-{self.wrapped(expr.operand, NEGATION_PRECEDENCE)}"

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


def render_expr(expr) -> str:
    """Source-like text of an expression, for messages: the source printer's own printing."""
    return ExprPrinter(None)(expr)
