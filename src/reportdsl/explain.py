"""`reportdsl explain`: how a figure is obtained, down to the typed facts, with every source line.

A figure is explained by its value, the line that defines it, and then each figure that line
refers to, recursively; a line item's measure by the items it adds up. A figure already explained
above is not explained again.
"""

from __future__ import annotations

from typing import Iterator, Optional

from . import ast
from .ast import references
from .compiler import Result
from .evaluate import Evaluator
from .expr_printer import render_expr
from .number_text import describe, format_quantity
from .model import FigureUse, Paragraph
from .values import NodeValue, Quantity, TreeNode, TreeValue

STEP = "  "


def exact_text(number) -> str:
    """A Decimal as it is, shortened to six decimals with … when it runs on (a quotient)."""
    text = f"{number:f}"
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals[:6]}…" if len(decimals) > 6 else text


def shown(value) -> str:
    if isinstance(value, Quantity):
        exact = f"{exact_text(value.value * 100)}%" if value.is_ratio else exact_text(value.value)
        unit = "" if value.is_ratio or not value.unit else f" {value.unit}"
        printed = format_quantity(value, None)
        return f"{exact}{unit}" + (f" (printed {printed})" if printed != exact else "")
    return describe(value)


def tree_name(owner: TreeValue | NodeValue) -> str:
    return owner.name if isinstance(owner, TreeValue) else owner.node.tree


WORDS = ("name", "code", "key", "path", "reason", "note", "level", "index", "depth")


class Tracer:
    def __init__(self, result: Result):
        self.result = result
        self.ev: Evaluator = result.evaluator
        self.seen: set = set()

    def where(self, span) -> str:
        if span is None:
            return ""
        from pathlib import Path

        from .explain_answer import readable_place

        source = self.result.sources.get(span.path, self.result.source)
        place = readable_place(span, Path(self.result.source.path).resolve().parent)
        return f"{place}: {source.line_text(span.line).strip()}"

    # ---- entry points -----------------------------------------------------------------------------

    def figure(self, expr, scope: dict, depth: int = 0) -> Iterator[str]:
        known = len(self.ev.diagnostics)
        self.ev.eval(expr, scope)
        if len(self.ev.diagnostics) > known:
            return  # a name that does not exist, say: the caller prints the diagnostic
        if isinstance(expr, ast.Name) or next(iter(references(expr)), None) is expr:
            yield from self.inputs(expr, scope, depth)
            return
        yield f"{STEP * depth}{render_expr(expr)} = {shown(self.ev.eval(expr, scope))}"
        yield from self.inputs(expr, scope, depth + 1)

    # ---- references ---------------------------------------------------------------------------------

    def inputs(self, expr, scope: dict, depth: int) -> Iterator[str]:
        """Explain every figure an expression refers to, in the order written."""
        for reference in references(expr):
            if isinstance(reference, ast.Name):
                yield from self.name(reference, scope, depth)
            elif isinstance(reference, (ast.Comprehension, ast.Loop)):
                yield from self.loop(reference, scope, depth)
            else:
                yield from self.measure_reference(reference, scope, depth)

    def loop(self, expr: ast.Comprehension | ast.Loop, scope: dict, depth: int) -> Iterator[str]:
        """The list looped over, then what the loop takes from each member."""
        yield from self.inputs(expr.sequence, scope, depth)
        members = self.ev.eval(expr.sequence, scope)
        if not isinstance(members, tuple):
            return
        inside = tuple(part for part in (expr.condition, getattr(expr, "element", None), getattr(expr, "body", None))
                       if part is not None)
        for member in members:
            for part in inside:
                yield from self.inputs(part, {**scope, expr.variable: member}, depth)

    def name(self, expr: ast.Name, scope: dict, depth: int) -> Iterator[str]:
        if expr.period is None and (expr.name in scope or expr.name in self.ev.builtins() or expr.name in self.ev.trees):
            return
        key = (expr.name, self.ev.period(expr.period))
        owner = self.ev
        decl = self.ev.definitions.get(key)
        if decl is None and self.ev.imported(key) is not None:
            owner, key = self.ev.prior, self.ev.imported(key)
            decl = owner.definitions[key]
            key = ("#prior", *key)
        if decl is None:
            return
        value = owner.value_of(key[1:] if key[0] == "#prior" else key)
        label = ast.name_at(expr.name, expr.period)
        if key in self.seen:
            yield f"{STEP * depth}{label} = {shown(value)}  (explained above)"
            return
        self.seen.add(key)
        yield f"{STEP * depth}{label} = {shown(value)}"
        yield f"{STEP * (depth + 1)}{self.where(decl.span)}"
        if owner is not self.ev:
            yield f"{STEP * (depth + 1)}(last year's figure, from the prior-year report above; `reportdsl explain` that file for more)"
            return
        if isinstance(decl, ast.Let):
            yield from self.inputs(decl.expr, {}, depth + 2)
        elif isinstance(decl.value, ast.Placeholder):
            yield f"{STEP * (depth + 1)}(not filled in yet)"
        else:
            yield from self.inputs(decl.value, {}, depth + 2)

    def measure_reference(self, expr: ast.Attr, scope: dict, depth: int) -> Iterator[str]:
        owner = self.ev.eval(expr.target, scope)
        if isinstance(owner, (TreeValue, NodeValue)) and expr.name not in self.ev.trees[tree_name(owner)].measures:
            if expr.name in WORDS:
                return  # an item's name, code or reason: words, not a figure to explain
            yield f"{STEP * depth}{render_expr(expr)} = {shown(self.ev.eval(expr, scope))}"
        elif isinstance(owner, TreeValue):
            tree = self.ev.trees[owner.name]
            value = self.ev.eval(expr, scope)
            yield f"{STEP * depth}{render_expr(expr)} = {shown(value)}: the sum of its top-level items"
            for node in tree.roots:
                yield from self.node(node, expr.name, depth + 1)
        elif isinstance(owner, NodeValue):
            yield from self.node(owner.node, expr.name, depth)

    def node(self, node: TreeNode, measure: str, depth: int) -> Iterator[str]:
        key = ("#node", node.tree, node.key, measure)
        value = self.ev.measure(node, measure, None)
        label = f"{node.tree}[{node.key}].{measure} ({node.name})"
        if key in self.seen:
            yield f"{STEP * depth}{label} = {shown(value)}  (explained above)"
            return
        self.seen.add(key)
        stated = self.ev.stated_measure(node, measure)
        if stated is not None or not node.children:
            yield f"{STEP * depth}{label} = {shown(value)}, typed at {self.where(node.span)}"
            return
        yield f"{STEP * depth}{label} = {shown(value)}: the sum of {len(node.children)} item{'' if len(node.children) == 1 else 's'}"
        for child in node.children:
            yield from self.node(child, measure, depth + 1)

    # ---- sentences --------------------------------------------------------------------------------------

    def paragraph(self, paragraph: Paragraph) -> Iterator[str]:
        yield f"“{paragraph.full_text}”"
        if paragraph.span is not None:
            yield f"{STEP}{self.where(paragraph.span)}"
        first, last = paragraph.figures
        for use in self.result.document.figures[first:last]:
            yield from self.use(use)

    def use(self, use: FigureUse) -> Iterator[str]:
        if use.expr is None:
            return
        yield f"{STEP}{use.shown}  ← {{{render_expr(use.expr)}}}"
        yield from self.inputs(use.expr, use.scope, 2)


def find_paragraphs(result: Result, text: Optional[str], section: Optional[str], position: Optional[int]):
    """Paragraphs containing `text`, or the position-th paragraph under the heading titled `section`."""
    from .model import Heading

    blocks = result.document.blocks
    if text is not None:
        return [b for b in blocks if isinstance(b, Paragraph) and text in b.full_text]
    found, inside = [], False
    for block in blocks:
        if isinstance(block, Heading):
            if inside and section not in block.title:
                break
            inside = inside or section in block.title
        elif inside and isinstance(block, Paragraph):
            found.append(block)
    if position is None:
        return found
    return found[position - 1 : position] if 0 < position <= len(found) else []
