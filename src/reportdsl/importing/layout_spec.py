"""What the matcher needs to know of a layout, read from the layout's own declarations: each
table's title, leaf column headers and row statements (which cell prints a code, a name, an
item's measure or a derived figure), the item trees with their measures and fixed nodes, and the
inputs (`fact X = ?`) a report fills. Nothing here is specific to one province's layout."""

from __future__ import annotations

from typing import Optional

import attrs

from .. import ast

ROW_KINDS = ("code", "name", "label", "value", "blank", "text")


@attrs.frozen
class CellRole:
    kind: str  # one of ROW_KINDS
    expr: Optional[ast.Expr] = None  # for "value": what the cell prints (loop variable not yet bound)


@attrs.frozen
class RowSpec:
    roles: tuple[CellRole, ...]
    first_column: int  # the side's first column
    label: Optional[str] = None  # a fixed row's label ("合计", "本年收入合计")
    variable: Optional[str] = None  # a row per item: its variable …
    sequence: Optional[ast.Expr] = None  # … and the items it runs over
    conditional: bool = False

    @property
    def tree(self) -> Optional[str]:
        return root_name(self.sequence) if self.sequence is not None else None

    @property
    def is_padding(self) -> bool:
        return all(role.kind == "blank" for role in self.roles)


@attrs.frozen
class TableSpec:
    name: str
    title: str  # the literal words of the title (placeholders dropped)
    title_pieces: tuple[str, ...]  # the literal runs between placeholders
    columns: tuple[tuple[str, ...], ...]  # each leaf column's header path
    rows: tuple[RowSpec, ...]
    sides: tuple[tuple[int, int], ...]  # (first column, width) of each side


@attrs.frozen
class TreeSpec:
    name: str
    title: str
    measures: tuple[str, ...]
    nodes: tuple[ast.ItemNode, ...]  # fixed nodes of the layout ({} for a tree the report fills)


@attrs.frozen
class LayoutSpec:
    name: str
    unit: Optional[str]
    tables: tuple[TableSpec, ...]
    trees: dict[str, TreeSpec]
    inputs: dict[str, ast.Fact]  # facts the report fills (`fact X = ?`)
    report: ast.Report
    totals: dict[str, tuple[str, ...]] = attrs.Factory(dict)  # a let computed from trees alone -> the trees
    source: Optional[object] = None  # the layout's SourceFile, to quote its templates as written


def root_name(expr) -> Optional[str]:
    while isinstance(expr, (ast.Attr, ast.Index)):
        expr = expr.target
    return expr.name if isinstance(expr, ast.Name) else None


def template_words(template) -> str:
    if isinstance(template, ast.Template):
        return "".join(part.text for part in template.parts if isinstance(part, ast.Literal))
    return ""


def read_layout(report: ast.Report) -> LayoutSpec:
    tables, trees, inputs = [], {}, {}
    for statement in ast.statements(report.body):  # inside parts, sections, lists and if blocks
        if isinstance(statement, ast.Table) and statement.name not in {t.name for t in tables}:
            tables.append(table_spec(statement))
        elif isinstance(statement, ast.Items):
            trees[statement.name] = TreeSpec(statement.name, statement.title or statement.name,
                                             statement.measures, statement.nodes)
        elif isinstance(statement, ast.Fact) and isinstance(statement.value, ast.Placeholder):
            if statement.target.period:  # 机关运行经费@年初预算: an input of its own, beside 机关运行经费
                inputs[f"{statement.target.name}@{statement.target.period}"] = statement
            if not statement.target.period or statement.target.name not in inputs:
                inputs[statement.target.name] = statement
    totals = {}
    for statement in ast.statements(report.body):
        if isinstance(statement, ast.Let):
            names = names_in(statement.expr)
            if names and names <= set(trees):  # a figure of trees alone: 人员经费明细.决算, count(x for x in 自评.children)
                totals[statement.target.name] = tuple(sorted(names))
    return LayoutSpec(report.header.department, report.header.unit, tuple(tables), trees, inputs, report, totals)


def names_in(expr, bound: frozenset = frozenset()) -> set[str]:
    """The names an expression reads, its own loop variables left out."""
    if isinstance(expr, ast.Name):
        return set() if expr.name in bound else {expr.name}
    if isinstance(expr, ast.Comprehension):
        inner = bound | {expr.variable}
        found = names_in(expr.sequence, bound) | names_in(expr.element, inner)
        return found | (names_in(expr.condition, inner) if expr.condition is not None else set())
    found: set[str] = set()
    if attrs.has(type(expr)):
        for field in attrs.fields(type(expr)):
            value = getattr(expr, field.name)
            for item in value if isinstance(value, tuple) else (value,):
                if attrs.has(type(item)):
                    found |= names_in(item, bound)
    return found


def leaf_columns(columns: tuple[ast.Column, ...]) -> tuple[tuple[str, ...], ...]:
    """Each leaf column's titles from the top level down (headers of any depth)."""
    leaves: list[tuple[str, ...]] = []
    for column in columns:
        if column.subcolumns:
            leaves.extend((column.title, *path) for path in leaf_columns(column.subcolumns))
        else:
            leaves.append((column.title,))
    return tuple(leaves)


def table_spec(table: ast.Table) -> TableSpec:
    rows, sides = [], []
    sided = [part for part in table.body if isinstance(part, ast.Side)]
    if sided:
        first = 0
        for side in sided:
            width = max((len(row.cells) for row in side.rows), default=0)
            rows.extend(row_spec(row, first) for row in side.rows)
            sides.append((first, width))
            first += width
    else:
        width = max((len(row.cells) for row in table.body), default=0)
        rows.extend(row_spec(row, 0) for row in table.body)
        sides.append((0, width))
    pieces = tuple(part.text for part in table.title.parts if isinstance(part, ast.Literal))
    return TableSpec(table.name, template_words(table.title), pieces, leaf_columns(table.columns), tuple(rows), tuple(sides))


def row_spec(row, first: int) -> RowSpec:
    variable = row.variable if isinstance(row, ast.Rows) else None
    roles = tuple(cell_role(cell.expr, variable) for cell in row.cells)
    if isinstance(row, ast.Rows):
        return RowSpec(roles, first, None, row.variable, row.sequence, row.condition is not None)
    label = next((cell.expr.value for cell in row.cells
                  if isinstance(cell.expr, ast.Text) and cell.expr.value.strip()), None)
    return RowSpec(roles, first, label)


def cell_role(expr, variable: Optional[str]) -> CellRole:
    if isinstance(expr, ast.Blank):
        return CellRole("blank")
    if isinstance(expr, ast.Text):
        return CellRole("text")
    if isinstance(expr, ast.Template):
        return CellRole("label")
    if variable and isinstance(expr, ast.Attr) and isinstance(expr.target, ast.Name) and expr.target.name == variable:
        if expr.name == "code":
            return CellRole("code")
        if expr.name in ("name", "path"):
            return CellRole("name")
        if expr.name in ("index",):
            return CellRole("text")
    return CellRole("value", expr)


def substitute(expr, variable: str, replacement):
    """The expression with the loop variable replaced by a reference to one item."""
    if isinstance(expr, ast.Name):
        return replacement if expr.name == variable and expr.period is None else expr
    if isinstance(expr, ast.Comprehension) and expr.variable == variable:
        return expr
    changes = {}
    for field in attrs.fields(type(expr)):
        value = getattr(expr, field.name)
        if isinstance(value, tuple) and value and not isinstance(value[0], str):
            replaced = tuple(substitute(v, variable, replacement) if _is_node(v) else v for v in value)
            if any(new is not old for new, old in zip(replaced, value)):
                changes[field.name] = replaced
        elif _is_node(value):
            replaced = substitute(value, variable, replacement)
            if replaced is not value:
                changes[field.name] = replaced
    return attrs.evolve(expr, **changes) if changes else expr  # unchanged nodes are shared, not rebuilt


def _is_node(value) -> bool:
    return hasattr(type(value), "__attrs_attrs__")  # attrs.has, without its cost on every field
