"""Names, dependency order, cycles and Decimal arithmetic: AST -> values.

Figures are evaluated lazily and memoised, so the order of declaration never matters; a figure
met again while it is being evaluated is a cycle. Faults are reported once, where they are made,
and the faulty value travels on as Missing(Gap.FAILED) so that nothing downstream repeats them.
"""

from __future__ import annotations

import difflib

import attrs
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Callable, Iterable, Optional

from . import ast
from .diagnostics import Diagnostic, error
from .limits import MAX_DEPENDENCY_DEPTH, MAX_MAGNITUDE, Work
from .number_text import describe
from .source import Span
from .values import (RATIO, ZERO, Gap, Missing, NodeValue, Quantity, TreeNode, TreeValue, Value,
                     half_unit, is_rounded_amount, printed, stated_error)

MAX_EVAL_DEPTH = 2 * MAX_DEPENDENCY_DEPTH  # an expression's own depth and the figures it is defined from
CURRENT = None  # the period of a figure written without @
PERIOD_ALIASES = {"本年": CURRENT}
FUNCTIONAL_LEVELS = {3: "类", 5: "款", 7: "项"}
PRINTED = {"#printed": True}  # the scope of a check: its literals are figures as printed
NODE_FIELDS = ("code", "key", "name", "path", "level", "depth", "index", "children", "leaves", "nodes", "parent")


class Tree:
    """An `items` declaration, resolved: nodes indexed by key, measures by name."""

    def __init__(self, decl: ast.Items, roots: tuple[TreeNode, ...], by_key: dict[str, TreeNode]):
        self.decl, self.roots, self.by_key = decl, roots, by_key
        self.measures = decl.measures

    @property
    def name(self) -> str:
        return self.decl.name

    def walk(self) -> Iterable[TreeNode]:
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


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


class Evaluator:
    def __init__(self, report: ast.Report, prior: Optional["Evaluator"] = None, rounding: Optional[str] = None):
        self.header = report.header
        self.source_report = report
        self.interval = (rounding or report.header.rounding) == "interval"  # the opt-in interval rule
        self._twins: dict[str, "Evaluator"] = {}
        self.prior = prior  # last year's report: the figures X@上年 not typed here come from it
        self.diagnostics: list[Diagnostic] = []
        self.definitions: dict[tuple, ast.Fact | ast.Let] = {}
        self.trees: dict[str, Tree] = {}
        self.checks: list[ast.Check] = []
        self.stated: list[ast.Stated] = []
        self.classifications: list[ast.Classification] = []
        self.facts_within: list[ast.Fact] = []
        self._memo: dict[tuple, Value] = {}
        self._in_progress: list[tuple] = []
        self.work = Work()
        self.depth = 0  # of eval() calls inside one another
        self._builtins: Optional[dict[str, Value]] = None
        self.used: set[tuple] = set()  # figures some expression refers to
        self._collect(report.body)

    # ---- resolution ------------------------------------------------------------------------

    def report(self, diagnostic: Diagnostic) -> Missing:
        self.diagnostics.append(diagnostic)
        return Missing(Gap.FAILED, diagnostic.message, diagnostic.span)

    def under(self, rounding: Optional[str]) -> "Evaluator":
        """The same report under another rounding rule, for a check or stated block that names one
        (its faults are already reported by this evaluator, so the twin's are not)."""
        if rounding is None or (rounding == "interval") == self.interval:
            return self
        if rounding not in self._twins:
            self._twins[rounding] = Evaluator(self.source_report, self.prior, rounding=rounding)
        return self._twins[rounding]

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
        by_key: dict[str, TreeNode] = {}
        roots = tuple(self._build_node(decl, item, None, 1, by_key) for item in decl.nodes)
        self.trees[decl.name] = Tree(decl, roots, by_key)

    def _build_node(self, decl, item: ast.ItemNode, parent, depth, by_key) -> TreeNode:
        self._check_node_shape(decl, item, parent, by_key)
        values = dict(zip(decl.measures, item.values))
        attributes = dict(item.attributes)
        node = TreeNode(decl.name, item.key, item.is_code, item.label, values, attributes, (), depth, item.span, parent)
        by_key.setdefault(item.key, node)
        children = tuple(self._build_node(decl, child, node, depth + 1, by_key) for child in item.children)
        object.__setattr__(node, "children", children)
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

    # ---- named figures ---------------------------------------------------------------------------

    def value_of(self, key: tuple) -> Value:
        if key in self._memo:
            return self._memo[key]
        decl = self.definitions[key]
        if key in self._in_progress:
            cycle = self._in_progress[self._in_progress.index(key):] + [key]
            path = " -> ".join(self._shown(k) for k in cycle)
            return self.report(error("RD103", f"'{self._shown(key)}' depends on itself", decl.target.span,
                                     f"the cycle is {path}; one of these must be a typed fact"))
        self._in_progress.append(key)
        try:
            value = self._evaluate_definition(decl)
        finally:
            self._in_progress.pop()
        self._memo[key] = value
        return value

    @staticmethod
    def _shown(key: tuple) -> str:
        return ast.name_at(*key)

    def _evaluate_definition(self, decl) -> Value:
        if isinstance(decl, ast.Fact):
            return self.data_value(decl.value)
        value = self.eval(decl.expr, {})
        if decl.format and isinstance(value, Quantity):
            return attrs.evolve(value, format=decl.format)
        return value

    def data_value(self, expr) -> Value:
        """A typed figure: a plain number takes the report's unit; it is exact (under the opt-in
        interval rule, it stands for ± half a unit of its last decimal)."""
        if isinstance(expr, ast.Placeholder):
            return Missing(Gap.UNFILLED, "a value marked '?' is not filled in", expr.span)
        if isinstance(expr, ast.Blank):
            return Missing(Gap.BLANK, "no value is stated ('-')", expr.span)
        negative = isinstance(expr, ast.Neg) and isinstance(expr.operand, ast.Number)
        literal = expr.operand if negative else expr
        if isinstance(literal, ast.Number):
            value = -literal.value if negative else literal.value
            unit = literal.unit or self.header.unit
            return Quantity(value, unit, stated_error(value, literal.decimals, unit) if self.interval else ZERO)
        value = self.eval(expr, {})
        if isinstance(value, Quantity) and value.unit is None:
            return Quantity(value.value, self.header.unit, value.error, value.other_base)
        return value

    def evaluate_all(self) -> None:
        """Evaluate every definition and item value, used or not, so each fault is reported."""
        for key in list(self.definitions):
            self.value_of(key)
        for tree in self.trees.values():
            for node in tree.walk():
                for measure in tree.measures:
                    self.measure(node, measure, None)

    # ---- line items ------------------------------------------------------------------------------

    def stated_measure(self, node: TreeNode, measure: str) -> Optional[Value]:
        expr = node.values.get(measure)
        if expr is None or isinstance(expr, ast.Blank) and node.children:
            return None
        key = ("#node", node.tree, node.key, measure)
        if key not in self._memo:
            self._memo[key] = self.data_value(expr)
        return self._memo[key]

    def children_sum(self, nodes: tuple[TreeNode, ...], measure: str, span: Optional[Span]) -> Value:
        values = [self.measure(child, measure, span) for child in nodes]
        return sum_values(values, self.header.unit)

    def measure(self, node: TreeNode, measure: str, span: Optional[Span]) -> Value:
        """An item's measure: as stated, or the sum of its children (computed once per item)."""
        key = ("#measure", node.tree, node.key, measure)
        if key not in self._memo:
            stated = self.stated_measure(node, measure)
            if stated is not None:
                self._memo[key] = stated
            elif node.children:
                self._memo[key] = self.children_sum(node.children, measure, span)
            else:
                self._memo[key] = Missing(Gap.BLANK, f"'{node.name}' states no {measure}", node.span)
        return self._memo[key]

    # ---- expressions ------------------------------------------------------------------------------

    def eval(self, expr, scope: dict) -> Value:
        method: Callable = getattr(self, "_eval_" + type(expr).__name__)
        if self.depth >= MAX_EVAL_DEPTH:
            return self.report(error("RD007", f"figures are computed from one another more than {MAX_EVAL_DEPTH} "
                                     "levels deep here", expr.span,
                                     "split the computation: fewer figures, each defined from typed facts or sums"))
        self.depth += 1
        try:
            value = method(expr, scope)
        except (InvalidOperation, Overflow, DivisionByZero) as exc:
            return self.report(error("RD106", f"arithmetic cannot be done here ({type(exc).__name__})", expr.span,
                                     "the figures are too large or not numbers"))
        finally:
            self.depth -= 1
        if isinstance(value, Quantity) and not -MAX_MAGNITUDE < value.value < MAX_MAGNITUDE:
            return self.report(error("RD009", f"this figure is too large to print exactly ({value.value:.3E})",
                                     expr.span, f"figures stay below 10^{len(str(MAX_MAGNITUDE)) - 1}; "
                                     "check the unit (万元, not 元?) and the formula"))
        return value

    def _eval_Number(self, expr: ast.Number, scope) -> Value:
        """In a check, 296.5 is a figure as printed (it stands for what rounds to it); elsewhere a
        literal is typed, and exact."""
        if self.interval:
            return Quantity(expr.value, expr.unit, half_unit(expr.decimals) if expr.decimals else ZERO)
        if scope.get("#printed") and is_rounded_amount(expr.value, expr.decimals, expr.unit):
            return printed(expr.value, expr.decimals, expr.unit)
        return Quantity(expr.value, expr.unit)

    def _eval_Percent(self, expr: ast.Percent, scope) -> Value:
        """In a check, every percentage is printed, hence rounded: 18.7% is what rounds to 18.7%."""
        if self.interval:
            return Quantity(expr.value, RATIO, stated_error(expr.value, expr.decimals, RATIO))
        if scope.get("#printed"):
            return printed(expr.value, expr.decimals, RATIO)
        return Quantity(expr.value, RATIO)

    def _eval_Text(self, expr: ast.Text, scope) -> Value:
        return expr.value

    def _eval_Template(self, expr: ast.Template, scope) -> Value:
        """A quoted text with {…} in an expression: the document stage fills it in its own scope."""
        if all(isinstance(part, ast.Literal) for part in expr.parts):
            return "".join(part.text for part in expr.parts)
        return expr

    def _eval_Name(self, expr: ast.Name, scope) -> Value:
        if expr.period is None and expr.name in scope:
            return scope[expr.name]
        if expr.period is None and expr.name in self.trees:
            return TreeValue(expr.name)
        builtins = self.builtins()
        if expr.period is None and expr.name in builtins:
            return builtins[expr.name]
        key = (expr.name, self.period(expr.period))
        self.used.add(key)
        imported = self.imported(key)
        if key in self.definitions and not (imported is not None and self.is_open_input(key)):
            return self.value_of(key)
        if imported is not None:
            return self.prior.value_of(imported)
        return self._undefined(expr, scope)

    def is_open_input(self, key: tuple) -> bool:
        """A `?` fact: a layout's input, which last year's report can fill for a 上年 figure."""
        decl = self.definitions.get(key)
        return isinstance(decl, ast.Fact) and isinstance(decl.value, ast.Placeholder)

    def imported(self, key: tuple) -> Optional[tuple]:
        """The key in last year's report of a prior-year figure (X@上年 is X there), if it has it."""
        name, period = key
        if self.prior is None or period != "上年" or (name, CURRENT) not in self.prior.definitions:
            return None
        return (name, CURRENT)

    def _undefined(self, expr: ast.Name, scope) -> Missing:
        periods = sorted((p or "本年") for name, p in self.definitions if name == expr.name)
        shown = ast.name_at(expr.name, expr.period)
        if periods:
            return self.report(error("RD101", f"'{shown}' is not defined for this period", expr.span,
                                     f"'{expr.name}' is defined for: {', '.join(periods)}"))
        known = [name for name, _ in self.definitions] + list(self.trees) + list(self.builtins()) + list(scope)
        close = difflib.get_close_matches(expr.name, known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "define it with `fact` or `let`"
        if self.prior is not None and self.period(expr.period) == "上年":
            hint += "; last year's report does not define it either"
        if isinstance(self.header, ast.LayoutHeader):
            hint = f"a layout declares each figure it needs as an input: fact {shown} = ?  (the report fills it)"
        elif self.header.span is not None and expr.span is not None and expr.span.path != self.header.span.path:
            hint += "; the layout uses it, so the report must define it (reportdsl new lists what a layout needs)"
        return self.report(error("RD101", f"undefined name '{shown}'", expr.span, hint))

    def _eval_Attr(self, expr: ast.Attr, scope) -> Value:
        target = self.eval(expr.target, scope)
        if isinstance(target, Missing):
            return target
        if isinstance(target, TreeValue):
            return self._tree_attribute(self.trees[target.name], expr)
        if isinstance(target, NodeValue):
            return self._node_attribute(target.node, expr)
        return self.report(error("RD104", f"{describe(target)} has no attribute '{expr.name}'", expr.span,
                                 "attributes belong to items trees and their items"))

    def _tree_attribute(self, tree: Tree, expr: ast.Attr) -> Value:
        name = expr.name
        if name in tree.measures:
            return self.children_sum(tree.roots, name, expr.span)
        if name in ("children", "leaves", "nodes"):
            found = {"children": tree.roots, "leaves": leaves(tree.roots), "nodes": descendants(tree.roots)}[name]
            return tuple(NodeValue(node) for node in found)
        if name in ("title", "name"):
            return tree.decl.title or tree.name
        return self._unknown_attribute(expr, tree.measures + ("children", "leaves", "nodes", "title"), tree.name)

    def _node_attribute(self, node: TreeNode, expr: ast.Attr) -> Value:
        name = expr.name
        tree = self.trees[node.tree]
        if name in tree.measures:
            return self.measure(node, name, expr.span)
        if name in ("reason", "note"):
            return node.attributes.get(name) or Missing(Gap.BLANK, f"'{node.name}' has no {name}", node.span)
        if name in NODE_FIELDS:
            return self._node_field(node, name)
        return self._unknown_attribute(expr, tree.measures + NODE_FIELDS + ("reason", "note"), node.name)

    def _node_field(self, node: TreeNode, name: str) -> Value:
        if name in ("children", "leaves", "nodes"):
            found = {"children": node.children, "leaves": leaves(node.children) or (node,),
                     "nodes": descendants(node.children)}[name]
            return tuple(NodeValue(item) for item in found)
        if name == "parent":
            return NodeValue(node.parent) if node.parent else Missing(Gap.BLANK, f"'{node.name}' is a top-level item")
        if name == "depth":
            return Quantity(Decimal(node.depth))
        if name == "index":
            siblings = node.parent.children if node.parent else self.trees[node.tree].roots
            return Quantity(Decimal(siblings.index(node) + 1))
        if name == "level":
            return FUNCTIONAL_LEVELS.get(len(node.key), "") if node.is_code else ""
        if name == "path":
            return node_path(node)
        return {"code": node.key if node.is_code else "", "key": node.key, "name": node.name}[name]

    def _unknown_attribute(self, expr, known, owner) -> Missing:
        close = difflib.get_close_matches(expr.name, list(known), n=1, cutoff=0.4)
        hint = f"did you mean '{close[0]}'?" if close else f"known here: {', '.join(known)}"
        return self.report(error("RD104", f"'{owner}' has no attribute or measure '{expr.name}'", expr.span, hint))

    def _eval_Index(self, expr: ast.Index, scope) -> Value:
        target = self.eval(expr.target, scope)
        if isinstance(target, Missing):
            return target
        if isinstance(target, TreeValue):
            tree, within = self.trees[target.name], None
        elif isinstance(target, NodeValue):
            tree, within = self.trees[target.node.tree], target.node
        else:
            return self.report(error("RD106", f"{describe(target)} cannot be indexed", expr.span,
                                     "only items trees and items take [code]"))
        node = tree.by_key.get(expr.key)
        if node is None or (within is not None and node not in descendants(within.children)):
            close = difflib.get_close_matches(expr.key, list(tree.by_key), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"'{tree.name}' has no item with this key"
            return self.report(error("RD105", f"no item '{expr.key}' in '{tree.name}'", expr.span, hint))
        return NodeValue(node)

    def _eval_Neg(self, expr: ast.Neg, scope) -> Value:
        value = self.eval(expr.operand, scope)
        if isinstance(value, Quantity):
            other = -value.other_base if value.other_base is not None else None
            return attrs.evolve(value, value=-value.value, other_base=other)
        return value if isinstance(value, Missing) else self._type_error(expr, "-", value)

    def _eval_Not(self, expr: ast.Not, scope) -> Value:
        value = self.eval(expr.operand, scope)
        if isinstance(value, bool):
            return not value
        return value if isinstance(value, Missing) else self._type_error(expr, "not", value)

    def _eval_Logic(self, expr: ast.Logic, scope) -> Value:
        left = self.eval(expr.left, scope)
        if isinstance(left, bool) and left == (expr.op == "or"):
            return left
        right = self.eval(expr.right, scope)
        for value in (left, right):
            if isinstance(value, Missing):
                return value
            if not isinstance(value, bool):
                return self._type_error(expr, expr.op, value)
        return right

    def _eval_Coalesce(self, expr: ast.Coalesce, scope) -> Value:
        left = self.eval(expr.left, scope)
        if isinstance(left, Missing) and left.kind is not Gap.FAILED:
            return self.eval(expr.right, scope)
        return left

    def _eval_BinOp(self, expr: ast.BinOp, scope) -> Value:
        left, right = self.eval(expr.left, scope), self.eval(expr.right, scope)
        for value in (left, right):
            if isinstance(value, Missing):
                return value
        if not (isinstance(left, Quantity) and isinstance(right, Quantity)):
            bad, where = (right, expr.right) if isinstance(left, Quantity) else (left, expr.left)
            return self._type_error(expr, expr.op, bad, where)
        return arithmetic(expr.op, left, right, expr, self)

    def _eval_Compare(self, expr: ast.Compare, scope) -> Value:
        left, right = self.eval(expr.left, scope), self.eval(expr.right, scope)
        for value in (left, right):
            if isinstance(value, Missing):
                return value
        if isinstance(left, str) and isinstance(right, str) and expr.op in ("==", "!="):
            return (left == right) == (expr.op == "==")
        if not (isinstance(left, Quantity) and isinstance(right, Quantity)):
            bad, where = (right, expr.right) if isinstance(left, Quantity) else (left, expr.left)
            return self._type_error(expr, expr.op, bad, where)
        if not units_compatible(left, right):
            return self._unit_error(expr, left, right)
        if scope.get("#printed"):
            from .agreement import compare

            return compare(expr.op, left, right, self.interval).holds
        return COMPARISONS[expr.op](left.value - right.value, ZERO)

    def _eval_Call(self, expr: ast.Call, scope) -> Value:
        from .functions import call_function

        return call_function(self, expr, [self.eval(arg, scope) for arg in expr.args])

    def _eval_Comprehension(self, expr: ast.Comprehension, scope) -> Value:
        from .functions import call_aggregate

        elements = self.comprehend(expr.variable, expr.sequence, expr.condition, scope, expr.element)
        if isinstance(elements, Missing):
            return elements
        return call_aggregate(self, expr, elements)

    def comprehend(self, variable, sequence_expr, condition, scope, element=None):
        """Evaluate `element for variable in sequence if condition`; without element, the members."""
        sequence = self.eval(sequence_expr, scope)
        if isinstance(sequence, Missing):
            return sequence
        if not isinstance(sequence, tuple):
            return self.report(error("RD106", f"{describe(sequence)} is not a list of items", sequence_expr.span,
                                     "loops go over items: tree.children, tree.leaves, tree.nodes, item.children"))
        self.work.spend(len(sequence), sequence_expr.span)
        results = []
        for member in sequence:
            inner = {**scope, variable: member}
            if condition is not None:
                keep = self.eval(condition, inner)
                if isinstance(keep, Missing):
                    return keep
                if not isinstance(keep, bool):
                    return self._type_error(condition, "if", keep)
                if not keep:
                    continue
            results.append(self.eval(element, inner) if element is not None else member)
        return tuple(results)

    # ---- faults -------------------------------------------------------------------------------------

    def _type_error(self, expr, op: str, value: Value, operand=None) -> Missing:
        """Points at the operand objected to, when there is one."""
        where = operand.span if operand is not None and operand.span is not None else expr.span
        return self.report(error("RD106", f"'{op}' cannot take {describe(value)}", where,
                                 "arithmetic takes figures; conditions take comparisons"))

    def _unit_error(self, expr, left: Quantity, right: Quantity) -> Missing:
        """Points at the operand whose unit is not the report's (the right one if both or neither)."""
        op = getattr(expr, "op", None) or getattr(expr, "function", "?")
        operands = (getattr(expr, "left", None), getattr(expr, "right", None))
        if isinstance(expr, ast.Call) and len(expr.args) == 2:
            operands = expr.args
        odd_left = left.unit != self.header.unit and right.unit == self.header.unit
        target, other = (operands[0], operands[1]) if odd_left else (operands[1], operands[0])
        where = target.span if target is not None and target.span is not None else expr.span
        related = ((other.span, f"this one is in {unit_name(left if not odd_left else right)}"),) \
            if other is not None and other.span is not None else ()
        return self.report(error("RD106", f"'{op}' mixes {unit_name(left)} and {unit_name(right)}", where,
                                 f"this operand is in {unit_name(left if odd_left else right)}; "
                                 "figures in different units cannot be added or compared", related=related))


def unit_name(q: Quantity) -> str:
    if q.unit is None:
        return "a plain number"
    return "a ratio (%)" if q.is_ratio else q.unit


COMPARISONS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def units_compatible(left: Quantity, right: Quantity) -> bool:
    return left.unit is None or right.unit is None or left.unit == right.unit


def sum_values(values: list[Value], unit: Optional[str]) -> Value:
    """Sum of stated figures: blanks count as nothing; any other gap makes the sum a gap."""
    total, error_sum, seen, result_unit = ZERO, ZERO, False, None
    for value in values:
        if isinstance(value, Missing):
            if value.kind is Gap.BLANK:
                continue
            return value
        if not isinstance(value, Quantity):
            return Missing(Gap.FAILED, "a non-figure in a sum")
        total, error_sum, seen = total + value.value, error_sum + value.error, True
        result_unit = result_unit or value.unit
    if not seen:
        return Missing(Gap.BLANK, "none of the items states this figure")
    return Quantity(total, result_unit or unit, error_sum)


def divide(left: Quantity, right: Quantity) -> Quantity:
    value = left.value / right.value
    b = abs(right.value)
    if right.error >= b:
        spread = abs(value)
    else:
        spread = (abs(left.value) * right.error + b * left.error) / (b * (b - right.error))
    return Quantity(value, quotient_unit(left.unit, right.unit), spread)


def quotient_unit(top: Optional[str], bottom: Optional[str]) -> Optional[str]:
    """万元 / 万元 is a ratio; 万元 / 2 is 万元; 1 / 人 is per 人; 万元 / 人 is 万元/人."""
    if top == bottom:
        return RATIO
    if bottom in (None, RATIO):
        return top
    return f"{top or '1'}/{bottom}"


def multiply(left: Quantity, right: Quantity, expr, evaluator) -> Value:
    if left.unit not in (None, RATIO) and right.unit not in (None, RATIO):
        return evaluator._unit_error(expr, left, right)
    unit = left.unit if left.unit not in (None, RATIO) else right.unit if right.unit not in (None,) else left.unit
    error_sum = abs(left.value) * right.error + abs(right.value) * left.error + left.error * right.error
    return Quantity(left.value * right.value, unit, error_sum)


def arithmetic(op: str, left: Quantity, right: Quantity, expr, evaluator: Evaluator) -> Value:
    if op in "+-":
        if not units_compatible(left, right):
            return evaluator._unit_error(expr, left, right)
        value = left.value + right.value if op == "+" else left.value - right.value
        return Quantity(value, left.unit or right.unit, left.error + right.error)
    if op == "*":
        return multiply(left, right, expr, evaluator)
    if right.value == 0:
        return Missing(Gap.ZERO_BASE, f"division by zero: {render_expr(expr.right)} is 0", expr.span)
    return divide(left, right)


def render_expr(expr) -> str:
    """Source-like text of an expression, for messages: the source printer's own printing."""
    from .expr_printer import ExprPrinter

    return ExprPrinter(None)(expr)
