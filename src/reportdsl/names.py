"""The resolved name table of a report: its named figures, items trees, checks and stated blocks,
each with the declaration it comes from, and the periods its names are written in. Built from the
syntax tree without computing anything (what a language server needs); the evaluator computes the
values from it. Faults of the names themselves (RD102, RD108-RD110) go to the sink it is given."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from . import ast
from .diagnostics import Diagnostic, error
from .values import Gap, Missing, Quantity, TreeNode, Value

CURRENT = None  # the period of a figure written without @
PERIOD_ALIASES = {"本年": CURRENT}
FUNCTIONAL_LEVELS = {3: "类", 5: "款", 7: "项"}


TYPED_KINDS = frozenset({ast.Number, ast.Neg, ast.Blank, ast.Placeholder})


def is_typed_value(expr) -> bool:
    """A typed number (perhaps negative), `-` or `?`: a value without a fault, whatever it is computed with."""
    return type(expr) in TYPED_KINDS and (type(expr) is not ast.Neg or type(expr.operand) is ast.Number)


class Tree:
    """An `items` declaration, resolved: nodes indexed by key, measures by name."""

    def __init__(self, decl: ast.Items, roots: tuple[TreeNode, ...], by_key: dict[str, TreeNode],
                 in_order: tuple[TreeNode, ...], notable: tuple[TreeNode, ...], typed_only: bool):
        self.decl, self.roots, self.by_key = decl, roots, by_key
        self.measures = decl.measures
        self.in_order = in_order  # every node, depth first, as written: walked by every stage, listed once
        # the nodes with a `?` among their values, or a reason or a note, in the same order: all that
        # the check of unfilled inputs and that of copied purposes need to look at
        self.notable = notable
        # Every value typed (a number, `-` or `?`) and every key once: no value of the tree can be at
        # fault, nor depend on the order it is computed in (a key written twice, RD108, stands for
        # the first item of that key wherever a value is looked up), so each is computed when asked for.
        self.typed_only = typed_only and len(by_key) == len(in_order)

    @property
    def name(self) -> str:
        return self.decl.name

    def walk(self) -> Iterable[TreeNode]:
        return iter(self.in_order)


def leaves(nodes: Iterable[TreeNode]) -> tuple[TreeNode, ...]:
    found = []
    stack = list(reversed(tuple(nodes)))
    while stack:
        node = stack.pop()
        if node.children:
            stack.extend(reversed(node.children))
        else:
            found.append(node)
    return tuple(found)


def descendants(nodes: Iterable[TreeNode]) -> tuple[TreeNode, ...]:
    found = []
    stack = list(reversed(tuple(nodes)))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.children))
    return tuple(found)


def node_path(node: TreeNode) -> str:
    """科学技术支出（类）科学技术管理事务（款）行政运行（项）, or the names joined for other keys."""
    chain = []
    while node is not None:
        chain.append(node)
        node = node.parent
    pieces = []
    for item in reversed(chain):
        level = FUNCTIONAL_LEVELS.get(len(item.key)) if item.is_code else None
        pieces.append(f"{item.name}（{level}）" if level else item.name)
    return "".join(pieces)


class NameTable:
    def __init__(self, report: ast.Report, sink: list[Diagnostic], kept_trees: Optional[dict[int, "Tree"]] = None):
        # kept_trees: an editor's trees of the last compile by id of their statement (`reusable`
        # then); a statement that is the very same object is not built into a tree again
        self.kept_trees = kept_trees or {}
        self.reusable: dict[int, Tree] = {}  # the trees built (or kept) without a fault
        self.header = report.header
        self.source_report = report
        self.sink = sink
        self.definitions: dict[tuple, ast.Fact | ast.Let] = {}  # (name, period) -> its declaration
        self.trees: dict[str, Tree] = {}
        self.checks: list[ast.Check] = []
        self.stated: list[ast.Stated] = []
        self.classifications: list[ast.Classification] = []
        self.facts_within: list[ast.Fact] = []
        self._builtins: Optional[dict[str, Value]] = None
        self._collect(report.body)

    def report(self, diagnostic: Diagnostic) -> None:
        self.sink.append(diagnostic)

    def builtins(self) -> dict[str, Value]:
        if self._builtins is None:
            self._builtins = self._make_builtins()
        return self._builtins

    def _make_builtins(self) -> dict[str, Value]:
        header = self.header
        values: dict[str, Value] = {"department": header.department, "unit": header.unit or ""}
        values["year"] = (Quantity(Decimal(header.year)) if header.year is not None
                          else Missing(Gap.UNFILLED, "the report's year (a layout has none)"))
        return values

    def period(self, period: Optional[str]) -> Optional[str]:
        if period is None or period in PERIOD_ALIASES:
            return CURRENT
        if period.isdigit() and self.header.year is not None:
            offset = int(period) - self.header.year
            return {0: CURRENT, -1: "上年"}.get(offset, period)
        return period

    def _collect(self, body: Iterable) -> None:
        for statement in ast.statements(body):
            if isinstance(statement, (ast.Fact, ast.Let)):
                self._define(statement)
            elif isinstance(statement, ast.Items):
                self._define_tree(statement)
            elif isinstance(statement, ast.Check):
                self.checks.append(statement)
            elif isinstance(statement, ast.Stated):
                self.stated.append(statement)
            elif isinstance(statement, ast.Classification):
                self.classifications.append(statement)

    def _define(self, decl: ast.Fact | ast.Let) -> None:
        key = (decl.target.name, self.period(decl.target.period))
        shown = ast.name_at(decl.target.name, decl.target.period)
        if decl.target.name in self.builtins():
            self.report(error("RD102", f"'{decl.target.name}' is a built-in name and cannot be redefined",
                              decl.target.span, "choose another name"))
        elif key in self.definitions:
            first = self.definitions[key]
            self.report(error("RD102", f"'{shown}' is defined twice", decl.target.span,
                              "remove one definition or give it another name",
                              related=((first.target.span, "first defined here"),)))
        elif decl.target.name in self.trees:
            self.report(error("RD102", f"'{shown}' is already the name of an items tree", decl.target.span,
                              related=((self.trees[decl.target.name].decl.span, "the tree is declared here"),)))
        else:
            self.definitions[key] = decl
            if isinstance(decl, ast.Fact) and decl.within is not None:
                self.facts_within.append(decl)

    def _define_tree(self, decl: ast.Items) -> None:
        taken = self.trees.get(decl.name) or any(name == decl.name for name, _ in self.definitions)
        if taken or decl.name in self.builtins():
            self.report(error("RD102", f"'{decl.name}' is defined twice", decl.span,
                              "every items tree needs a name of its own"))
            return
        kept = self.kept_trees.get(id(decl))
        if kept is not None and kept.decl is decl:
            self.trees[decl.name] = self.reusable[id(decl)] = kept
            return
        faults = len(self.sink)
        by_key: dict[str, TreeNode] = {}
        in_order: list[TreeNode] = []
        notable: list[TreeNode] = []
        computed: list[ast.ItemNode] = []
        roots = tuple(self._build_node(decl, item, None, 1, (by_key, in_order, notable, computed)) for item in decl.nodes)
        self.trees[decl.name] = tree = Tree(decl, roots, by_key, tuple(in_order), tuple(notable), not computed)
        if len(self.sink) == faults:
            self.reusable[id(decl)] = tree

    def _build_node(self, decl, item: ast.ItemNode, parent, depth, found: tuple) -> TreeNode:
        by_key, in_order, notable, computed = found
        self._check_node_shape(decl, item, parent, by_key)
        values = dict(zip(decl.measures, item.values))
        attributes = dict(item.attributes)
        node = TreeNode(decl.name, item.key, item.is_code, item.label, values, attributes, (), depth, item.span, parent)
        by_key.setdefault(item.key, node)
        in_order.append(node)
        kinds = set(map(type, item.values))
        if attributes or ast.Placeholder in kinds:
            notable.append(node)
        if not kinds <= TYPED_KINDS or ast.Neg in kinds and not all(map(is_typed_value, item.values)):
            computed.append(item)
        if item.children:  # most items have none: no generator made for them
            node.children = tuple(self._build_node(decl, child, node, depth + 1, found) for child in item.children)
        return node

    def _check_node_shape(self, decl, item, parent, by_key) -> None:
        if item.key in by_key:
            self.report(error("RD108", f"item '{item.key}' appears twice in '{decl.name}'", item.span,
                              "each code or key stands once in a tree",
                              related=((by_key[item.key].span, "first here"),)))
        if parent is not None and item.is_code and parent.is_code and not item.key.startswith(parent.key):
            self.report(error("RD109", f"code {item.key} is not under its parent's code {parent.key}", item.span,
                              f"a child's code starts with its parent's ({parent.key}…); move the item or fix the code"))
        if item.values and len(item.values) != len(decl.measures):
            self.report(error("RD110", f"item '{item.key}' has {len(item.values)} values but '{decl.name}' "
                              f"declares {len(decl.measures)} measures", item.span,
                              f"the measures are, in order: {', '.join(decl.measures)}; write '-' for one not stated"))

    def is_open_input(self, key: tuple) -> bool:
        """A `?` fact: a layout's input, which last year's report can fill for a 上年 figure."""
        decl = self.definitions.get(key)
        return isinstance(decl, ast.Fact) and isinstance(decl.value, ast.Placeholder)
