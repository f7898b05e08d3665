"""The resolved name table of a compiled report: every place a figure, items tree, item or measure is
written (in the report, its layout and its prior-year report), each tied to where it is defined.

Built once per compile from the AST and the evaluator's definitions; hover, definition, references
and completion read it without evaluating anything again.
"""

from __future__ import annotations

import bisect
from typing import Iterator, Optional

import attrs

from .. import ast
from ..compiler import Result
from ..evaluate import Evaluator
from ..names import Tree
from ..source import Span
from ..values import TreeNode

FIGURE, TREE, ITEM, MEASURE, INTERP = "figure", "tree", "item", "measure", "interp"


@attrs.frozen(eq=False)
class Occurrence:
    """A written reference (or definition) at `span`; `target` is the span of its definition."""

    kind: str
    span: Span
    target: Optional[Span]
    owner: Evaluator  # the report whose names it is resolved against (this year's or last year's)
    key: object = None  # (name, period) of a figure; the Tree; the TreeNode; (Tree, measure); the Interp
    label: str = ""


class NameIndex:
    def __init__(self, result: Result):
        self.result = result
        self.occurrences: list[Occurrence] = []
        self.expressions: dict[Span, object] = {}  # every expression by its span (the quick fixes look up divisions)
        self.definition_of: dict[tuple, Span] = {}  # (tree id) or (tree id, measure): the name's span in `items`
        if result.evaluator is not None and result.report is not None:
            self._index_report(result.report, result.evaluator)
        if result.prior is not None and result.prior.evaluator is not None:
            self._index_report(result.prior.report, result.prior.evaluator)
        self._by_path: dict[str, list[Occurrence]] = {}
        for occurrence in sorted(self.occurrences, key=lambda o: (o.span.path, o.span.start, -o.span.end)):
            self._by_path.setdefault(occurrence.span.path, []).append(occurrence)
        self._starts = {path: [o.span.start for o in found] for path, found in self._by_path.items()}

    # ---- look-ups ---------------------------------------------------------------------------------

    def at(self, path: str, offset: int) -> Optional[Occurrence]:
        """The innermost occurrence whose span holds the offset (a name inside a {…} wins over the {…})."""
        found = self._by_path.get(path, [])
        last = bisect.bisect_right(self._starts.get(path, []), offset)
        holding = [o for o in found[:last] if o.span.start <= offset <= o.span.end]
        return min(holding, key=lambda o: o.span.end - o.span.start, default=None)

    def references(self, target: Span) -> list[Occurrence]:
        return [o for o in self.occurrences if o.target == target and o.kind != INTERP]

    # ---- building ---------------------------------------------------------------------------------

    def _add(self, kind, span, target, owner, key=None, label="") -> None:
        if span is not None and span.end > span.start:
            self.occurrences.append(Occurrence(kind, span, target, owner, key, label))

    def _index_report(self, report: ast.Report, ev: Evaluator) -> None:
        for decl in ev.definitions.values():
            self._add(FIGURE, decl.target.span, decl.target.span, ev, (decl.target.name, ev.period(decl.target.period)),
                      _shown(decl.target.name, decl.target.period))
        for tree in ev.trees.values():
            self._index_tree(tree, ev)
        for node in walk(report):
            self._index_node(node, ev)

    def _index_tree(self, tree: Tree, ev: Evaluator) -> None:
        header = self.token(tree.decl.span, tree.name) or tree.decl.span
        self.definition_of[(id(tree),)] = header
        self._add(TREE, header, header, ev, tree, tree.name)
        for measure in tree.measures:
            where = self.token(tree.decl.span, measure, after="(") or header
            self.definition_of[(id(tree), measure)] = where
            self._add(MEASURE, where, where, ev, (tree, measure), f"{tree.name}.{measure}")
        for node in tree.walk():
            self._add(ITEM, self.token(node.span, node.key), node.span, ev, node, f"{tree.name}[{node.key}]")

    def _index_node(self, node, ev: Evaluator) -> None:
        if isinstance(node, ast.Interp):
            self._add(INTERP, node.span, node.span, ev, node)
        if not hasattr(node, "span") or node.span is None:
            return
        self.expressions[node.span] = node
        if isinstance(node, ast.Name):
            self._index_name(node, ev)
        elif isinstance(node, ast.Index):
            tree = self.tree_of(node.target, ev)
            item = tree.by_key.get(node.key) if tree is not None else None
            if item is not None:
                self._add(ITEM, self.token(node.span, node.key, after="["), item.span, ev, item, f"{tree.name}[{item.key}]")
        elif isinstance(node, ast.Attr):
            tree = self.tree_of(node.target, ev)
            if tree is not None and node.name in tree.measures:
                where = Span(node.span.path, node.span.end - len(node.name), node.span.end, 0, 0)
                self._add(MEASURE, where, self.definition_of[(id(tree), node.name)], ev, (tree, node.name),
                          f"{tree.name}.{node.name}")

    def _index_name(self, name: ast.Name, ev: Evaluator) -> None:
        if name.period is None and name.name in ev.trees:
            tree = ev.trees[name.name]
            self._add(TREE, name.span, self.definition_of[(id(tree),)], ev, tree, tree.name)
            return
        owner, key = resolve_figure(ev, name.name, name.period)
        if owner is not None:
            self._add(FIGURE, name.span, owner.definitions[key].target.span, owner, key, _shown(name.name, name.period))

    @staticmethod
    def tree_of(expr, ev: Evaluator) -> Optional[Tree]:
        """The tree an expression names: `gpb`, or `gpb[206]` (an item of it)."""
        while isinstance(expr, ast.Index):
            expr = expr.target
        if isinstance(expr, ast.Name) and expr.period is None:
            return ev.trees.get(expr.name)
        return None

    def token(self, span: Optional[Span], word: str, after: str = "") -> Optional[Span]:
        """The span of `word` inside `span` (after the first `after`), found in the file's text."""
        if span is None:
            return None
        source = self.result.sources.get(span.path)
        if source is None:
            return None
        start = span.start
        if after:
            found = source.text.find(after, start, span.end)
            start = found + len(after) if found >= 0 else start
        at = source.text.find(word, start, span.end)
        return None if at < 0 else source.span(at, at + len(word))


def resolve_figure(ev: Evaluator, name: str, period: Optional[str]) -> tuple[Optional[Evaluator], Optional[tuple]]:
    """Which report defines the figure name@period, and its key there (last year's report for X@上年)."""
    key = (name, ev.period(period))
    imported = ev.imported(key)
    if key in ev.definitions and not (imported is not None and ev.is_open_input(key)):
        return ev, key
    if imported is not None:
        return ev.prior, imported
    return None, None


def _shown(name: str, period: Optional[str]) -> str:
    return name + (f"@{period}" if period else "")


def walk(node) -> Iterator:
    """Every attrs node under `node` (depth first), templates and expressions included."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (tuple, list)):
            stack.extend(reversed(current))
        elif attrs.has(type(current)) and not isinstance(current, (Span, TreeNode)):
            yield current
            stack.extend(reversed([getattr(current, field.name) for field in attrs.fields(type(current))
                                   if field.name != "span"]))
