"""The interpreter: name table -> values, in dependency order, with cycles found.

Figures are evaluated lazily and memoised, so the order of declaration never matters; a figure
met again while it is being evaluated is a cycle. Faults are reported once, where they are made,
and the faulty value travels on as Missing(Gap.FAILED) so that nothing downstream repeats them.
"""

from __future__ import annotations


import attrs
from decimal import Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Callable, Optional

from . import ast
from .diagnostics import Diagnostic, error
from .arithmetic import COMPARISONS, arithmetic, sum_values, unit_error, units_compatible
from .functions import call_aggregate, call_function
from .names import CURRENT, FUNCTIONAL_LEVELS, NameTable, Tree, descendants, leaves, node_path
from .limits import MAX_DEPENDENCY_DEPTH, MAX_MAGNITUDE, Work
from .number_text import describe
from .source import Span
from .values import (RATIO, ZERO, Gap, Missing, NodeValue, Quantity, TreeNode, TreeValue, Value,
                     half_unit, is_rounded_amount, printed, stated_error)

MAX_EVAL_DEPTH = 2 * MAX_DEPENDENCY_DEPTH  # an expression's own depth and the figures it is defined from
NODE_FIELDS = ("code", "key", "name", "path", "level", "depth", "index", "children", "leaves", "nodes", "parent")


class Evaluator:
    """The interpreter: computes the values of a report's figures from its name table, lazily and
    memoised; faults go to its sink. The name table's contents are readable here too, for the tools
    that trace a computation (explain, the editor)."""

    def __init__(self, names: NameTable | ast.Report, prior: Optional["Evaluator"] = None,
                 rounding: Optional[str] = None, sink: Optional[list[Diagnostic]] = None, from_rows: bool = False):
        self.from_rows = from_rows  # every parent the sum of its rows, whatever it states
        self.sink: list[Diagnostic] = [] if sink is None else sink
        self.names = names if isinstance(names, NameTable) else NameTable(names, self.sink)
        self.interval = (rounding or self.names.header.rounding) == "interval"  # the opt-in interval rule
        self._twins: dict[str, "Evaluator"] = {}
        self.prior = prior  # last year's report: the figures X@上年 not typed here come from it
        self._memo: dict[tuple, Value] = {}
        self._in_progress: list[tuple] = []
        self.work = Work()
        self.depth = 0  # of eval() calls inside one another
        self.used: set[tuple] = set()  # figures some expression refers to
        self.items_read: Optional[set[tuple]] = None  # when noting: (tree, key, measure or reason/note) read

    # ---- the name table, read ----------------------------------------------------------------

    header = property(lambda self: self.names.header)
    source_report = property(lambda self: self.names.source_report)
    definitions = property(lambda self: self.names.definitions)
    trees = property(lambda self: self.names.trees)
    checks = property(lambda self: self.names.checks)
    stated = property(lambda self: self.names.stated)
    classifications = property(lambda self: self.names.classifications)
    facts_within = property(lambda self: self.names.facts_within)
    diagnostics = property(lambda self: self.sink)

    def period(self, period: Optional[str]) -> Optional[str]:
        return self.names.period(period)

    def builtins(self) -> dict[str, Value]:
        return self.names.builtins()

    def is_open_input(self, key: tuple) -> bool:
        return self.names.is_open_input(key)

    # ---- faults ---------------------------------------------------------------------------------

    def report(self, diagnostic: Diagnostic) -> Missing:
        self.sink.append(diagnostic)
        return Missing(Gap.FAILED, diagnostic.message, diagnostic.span)

    def under(self, rounding: Optional[str]) -> "Evaluator":
        """The same report under another rounding rule, for a check or stated block that names one
        (its faults are already reported by this evaluator, so the twin's are not)."""
        if rounding is None or (rounding == "interval") == self.interval:
            return self
        if rounding not in self._twins:
            self._twins[rounding] = Evaluator(self.names, self.prior, rounding=rounding)
        return self._twins[rounding]

    def rows_twin(self) -> "Evaluator":
        """The same report with each parent taken as the sum of its rows: what the detail of a
        published table gives where a printed total disagrees with it (its faults are this one's)."""
        if "rows" not in self._twins:
            rounding = "interval" if self.interval else "exact"
            self._twins["rows"] = Evaluator(self.names, self.prior, rounding=rounding, from_rows=True)
        return self._twins["rows"]

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
        """Evaluate every definition and item value, used or not, so each fault is reported (the values
        of a tree of typed figures can have none: they are computed when asked for)."""
        for key in list(self.definitions):
            self.value_of(key)
        for tree in self.trees.values():
            if tree.typed_only:
                continue
            for node in tree.walk():
                for measure in tree.measures:
                    self.measure(node, measure, None)

    # ---- line items ------------------------------------------------------------------------------

    def stated_measure(self, node: TreeNode, measure: str) -> Optional[Value]:
        expr = node.values.get(measure)
        if expr is None or (isinstance(expr, ast.Blank) or self.from_rows) and node.children:
            return None
        if self.trees[node.tree].typed_only:  # nothing to report: made again when asked, not kept
            return self.data_value(expr)
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
        if self.items_read is not None:
            self.items_read.add(key)
        value = self._memo.get(key)
        if value is None:
            value = self.stated_measure(node, measure)
            if value is None:
                value = (self.children_sum(node.children, measure, span) if node.children
                         else Missing(Gap.BLANK, f"'{node.name}' states no {measure}", node.span))
            self._memo[key] = value
        return value

    # ---- expressions ------------------------------------------------------------------------------

    def eval(self, expr, scope: dict) -> Value:
        method: Callable = _EVALUATORS.get(type(expr)) or _evaluator_of(type(expr))
        if self.depth >= MAX_EVAL_DEPTH:
            return self.report(error("RD007", f"figures are computed from one another more than {MAX_EVAL_DEPTH} "
                                     "levels deep here", expr.span,
                                     "split the computation: fewer figures, each defined from typed facts or sums"))
        self.depth += 1
        try:
            value = method(self, expr, scope)
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
            if self.items_read is not None:
                self.items_read.add(("tree", expr.name))
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
        import difflib

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
        name = expr.target
        target = scope.get(name.name) if type(name) is ast.Name and name.period is None else None
        if type(target) is not NodeValue or self.depth + 1 >= MAX_EVAL_DEPTH:
            target = self.eval(name, scope)  # else a loop's item (x.决算 in each row): what eval gives, in one step
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
            found = tree.roots if name == "children" else leaves(tree.roots) if name == "leaves" else descendants(tree.roots)
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
            if self.items_read is not None:
                self.items_read.add(("#words", node.tree, node.key, name))
            text = node.attributes.get(name)
            if isinstance(text, ast.Placeholder):
                return Missing(Gap.UNFILLED, f"the {name} of '{node.name}' is not written yet ({name} ?)", text.span)
            return text or Missing(Gap.BLANK, f"'{node.name}' has no {name}", node.span)
        if name in NODE_FIELDS:
            return self._node_field(node, name)
        return self._unknown_attribute(expr, tree.measures + NODE_FIELDS + ("reason", "note"), node.name)

    def _node_field(self, node: TreeNode, name: str) -> Value:
        if name == "name":  # with the code, what the rows of a table print most: asked first
            return node.name
        if name == "code":
            return node.key if node.is_code else ""
        if name in ("children", "leaves", "nodes"):
            found = (node.children if name == "children" else leaves(node.children) or (node,) if name == "leaves"
                     else descendants(node.children))
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
        return node.key  # the one field left: key

    def _unknown_attribute(self, expr, known, owner) -> Missing:
        import difflib

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
            import difflib

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
        return call_function(self, expr, [self.eval(arg, scope) for arg in expr.args])

    def _eval_Comprehension(self, expr: ast.Comprehension, scope) -> Value:
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
        return self.report(unit_error(expr, left, right, self.names.header.unit))


# Evaluator._eval_<node kind>, by the kind: found once, not by name at every step.
_EVALUATORS: dict[type, Callable] = {}


def _evaluator_of(kind: type) -> Callable:
    _EVALUATORS[kind] = getattr(Evaluator, "_eval_" + kind.__name__)
    return _EVALUATORS[kind]
