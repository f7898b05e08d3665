"""What a figure depends on, read from the name table without computing anything: the named figures
and items an expression reaches, through names, items trees and loops, transitively.

A dependency is one of
- ("name", name, period): a fact or a let (its own expression is followed too);
- ("node", tree, key): an item's measures as stated, or, for a measure it does not state, its
  items' (a parent that states its figures is read, not its items);
- ("subtree", tree, key) and ("tree", tree): an item and every item under it, every item of a tree
  (a loop over `.leaves`, `.nodes`).

Causes-first folding asks whether a diagnostic's expression depends on the figure its root says is
wrong; a diagnostic placed in a layout asks which of the report's own lines it depends on.
"""

from __future__ import annotations

from typing import Iterator, Optional

from . import ast
from .names import NameTable
from .values import NodeValue

SEQUENCES = ("children", "leaves", "nodes")


def states_every_measure(node, measures: tuple) -> bool:
    return all(measure in node.values and not isinstance(node.values[measure], ast.Blank) for measure in measures)


class Dependencies:
    def __init__(self, names: NameTable):
        self.names = names
        self._of_name: dict[tuple, dict] = {}

    def of(self, expr, scope: Optional[dict] = None) -> dict:
        """Every dependency of `expr`, nearest first: what it names, then what those are computed from
        (a dict used as an ordered set)."""
        found = dict.fromkeys(self._direct(expr, dict(scope or {})))
        waiting = list(found)
        while waiting:
            for further in self._expand(waiting.pop(0)):
                if further not in found:
                    found[further] = None
                    waiting.append(further)
        return found

    def _expand(self, dependency: tuple) -> Iterator[tuple]:
        kind = dependency[0]
        if kind == "name":
            yield from self._of_definition(dependency[1:])
        elif kind == "tree" and dependency[1] in self.names.trees:
            yield from (("node", n.tree, n.key) for n in self.names.trees[dependency[1]].walk())
        elif kind in ("node", "subtree"):
            node = self._item(dependency[1], dependency[2])
            if node is None:
                return
            for value in node.values.values():
                yield from self._direct(value, {})
            if kind == "subtree" or not states_every_measure(node, self.names.trees[node.tree].measures):
                yield from ((kind, child.tree, child.key) for child in node.children)

    def _item(self, tree_name: str, key: str):
        tree = self.names.trees.get(tree_name)
        return tree.by_key.get(key) if tree is not None else None

    def _of_definition(self, key: tuple) -> Iterator[tuple]:
        if key not in self._of_name:
            self._of_name[key] = {}  # a circular definition stops here (it is reported elsewhere)
            decl = self.names.definitions.get(key)
            expr = decl.value if isinstance(decl, ast.Fact) else getattr(decl, "expr", None)
            self._of_name[key] = dict.fromkeys(self._direct(expr, {})) if expr is not None else {}
        yield from self._of_name[key]

    def _direct(self, expr, bound: dict) -> Iterator[tuple]:
        """The dependencies an expression names itself; `bound` maps loop variables to what they range over."""
        if isinstance(expr, ast.Name):
            yield from self._name(expr, bound)
        elif isinstance(expr, ast.Attr) and self._tree_name(expr.target) is not None:
            yield from self._tree_attribute(expr.target, expr.name)
        elif isinstance(expr, ast.Index) and self._tree_name(expr.target) is not None:
            yield ("node", expr.target.name, expr.key)
        elif isinstance(expr, (ast.Comprehension, ast.Loop, ast.ForBlock)):
            over = tuple(self._direct(expr.sequence, bound))
            inner = {**bound, expr.variable: over}
            yield from over
            for child in ast.children(expr):
                if child is not expr.sequence:
                    yield from self._direct(child, inner)
        elif expr is not None:
            for child in ast.children(expr):
                yield from self._direct(child, bound)

    def _tree_name(self, expr) -> Optional[str]:
        """The tree an expression names (`gpb`, or `gpb` in `gpb[206]`), if it names one."""
        target = expr.target if isinstance(expr, ast.Index) else expr
        if isinstance(target, ast.Name) and target.period is None and target.name in self.names.trees:
            return target.name
        return None

    def _tree_attribute(self, target, name: str) -> Iterator[tuple]:
        tree = self._tree_name(target)
        if isinstance(target, ast.Index):
            yield ("subtree" if name in SEQUENCES else "node", tree, target.key)
        elif name in SEQUENCES and name != "children":
            yield ("tree", tree)
        else:  # the tree's total of a measure, or its top items
            yield from (("node", tree, root.key) for root in self.names.trees[tree].roots)

    def _name(self, expr: ast.Name, bound: dict) -> Iterator[tuple]:
        if expr.period is None and expr.name in bound:
            yield from _bound(bound[expr.name])
        elif expr.period is None and expr.name in self.names.trees:
            yield ("tree", expr.name)
        elif expr.period is not None or expr.name not in self.names.builtins():
            yield ("name", expr.name, self.names.period(expr.period))

    def declarations(self, dependencies: dict) -> Iterator:
        """The declaration of each dependency that has one: a fact or let, an item, a tree."""
        for dependency in dependencies:
            kind = dependency[0]
            if kind == "name" and dependency[1:] in self.names.definitions:
                yield self.names.definitions[dependency[1:]]
            elif kind in ("node", "subtree") and self._item(dependency[1], dependency[2]) is not None:
                yield self._item(dependency[1], dependency[2])
            elif kind == "tree" and dependency[1] in self.names.trees:
                yield self.names.trees[dependency[1]].decl


def _bound(value) -> Iterator[tuple]:
    """A loop variable: what its sequence depends on, or, given a value (an explain or a document's
    scope), the item it stands for."""
    if isinstance(value, NodeValue):
        yield ("node", value.node.tree, value.node.key)
    elif isinstance(value, tuple):
        yield from (v for v in value if isinstance(v, tuple))


class Provenance:
    """For a diagnostic, the expression at its place (a check, a stated entry, a figure of the document)
    and what that depends on."""

    MAX_INPUTS = 3

    def __init__(self, names: NameTable, figures: tuple, report_path: str):
        self.dependencies = Dependencies(names)
        self.names, self.report_path, self.figures = names, report_path, figures
        self._places: Optional[dict] = None  # the expressions at each place, when first asked for (most compiles never ask)
        self._found: dict = {}
        self._items: Optional[dict] = None  # each item by its span, when first asked for (an RD301 is)
        self._inputs: Optional[dict] = None  # what each `?` fills, by its span, when first asked for (an RD401 is)

    def layout_clause(self):
        """The report header's `layout …` clause, where a fault of the layout with no line of the report is shown."""
        return getattr(self.names.header, "layout_span", None)

    def _at(self) -> dict:
        if self._places is None:
            self._places = {}
            for check in self.names.checks:
                self._place(check.span, check.expr, {})
            for block in self.names.stated:
                for entry in block.entries:
                    self._place(entry.span, entry.expr, {})
            for use in self.figures:
                self._place(use.span, use.expr, use.scope)
        return self._places

    def _place(self, span, expr, scope: dict) -> None:
        if span is not None and expr is not None:
            self._places.setdefault(span, []).append((expr, scope))

    def of(self, diagnostic) -> dict:
        """What the figures at a diagnostic's place depend on (every figure met there, for a sentence in a loop)."""
        if diagnostic.span not in self._found:
            found: dict = {}
            for expr, scope in self._at().get(diagnostic.span, ()):
                found.update(self.dependencies.of(expr, scope))
            self._found[diagnostic.span] = found
        return self._found[diagnostic.span]

    def follows(self, diagnostic, root) -> bool:
        """Whether `diagnostic` reads the figure `root` says is wrong (an item whose sum does not hold)."""
        if self._items is None:
            self._items = {node.span: node for tree in self.names.trees.values() for node in tree.walk()}
        item = self._items.get(root.span)
        if item is None:
            return False
        found = self.of(diagnostic)
        return ("node", item.tree, item.key) in found or ("subtree", item.tree, item.key) in found

    def reads_input(self, diagnostic, root) -> bool:
        """Whether `diagnostic` reads the input still to fill (`?`) that `root` (an RD401) is at."""
        if self._inputs is None:
            self._inputs = dict(open_inputs(self.names))
        dependency = self._inputs.get(root.span)
        if dependency is None:
            return False
        found = self.of(diagnostic)
        if dependency[0] == "name":
            return dependency in found
        return any((kind, *dependency[1:]) in found for kind in ("node", "subtree"))

    def report_inputs(self, diagnostic) -> tuple:
        """The report's own lines a diagnostic placed elsewhere (in the layout) depends on, as notes."""
        found = self.of(diagnostic)
        whole_trees = {d[1] for d in found if d[0] == "tree"}
        lines = []
        for decl in self.dependencies.declarations(found):
            span = decl.span
            if span is None or span.path != self.report_path or span in lines:
                continue
            if getattr(decl, "tree", None) in whole_trees or _parent_listed(decl, found):
                continue
            lines.append(span)
        return tuple((span, "its figures come from here too") for span in lines[:self.MAX_INPUTS])


def open_inputs(names: NameTable) -> Iterator[tuple]:
    """(where a `?` is reported, what it fills): a fact's line, or an item's `?` itself."""
    for (name, period), decl in names.definitions.items():
        if isinstance(decl, ast.Fact) and isinstance(decl.value, ast.Placeholder):
            yield decl.span, ("name", name, period)
    for tree in names.trees.values():
        for node in tree.walk():
            for value in node.values.values():
                if isinstance(value, ast.Placeholder):
                    yield value.span, ("node", node.tree, node.key)


def _parent_listed(decl, found: dict) -> bool:
    parent = getattr(decl, "parent", None)
    return parent is not None and any((kind, parent.tree, parent.key) in found for kind in ("node", "subtree"))
