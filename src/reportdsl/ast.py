"""The syntax tree of a report: frozen attrs nodes, each with a Span that equality ignores."""

from __future__ import annotations

import functools
import typing
from decimal import Decimal
from typing import Iterator, Optional, Union, get_args

import attrs

from .diagnostics import Severity
from .source import Span, made_in_bulk


def _span():
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


def children(node) -> list:
    """The nodes directly inside a node, in the order of its fields (as written), found from the attrs
    fields themselves, so that a new node kind or field is walked without touching any walker. Fields
    outside equality (spans, comments) are not part of the tree."""
    found: list = []
    for name in _tree_fields(type(node)):
        _nodes_in(getattr(node, name), found)
    return found


@functools.lru_cache(maxsize=None)
def _tree_fields(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in attrs.fields(cls) if field.eq)


def _nodes_in(value, found: list) -> None:
    if isinstance(value, tuple):
        for element in value:
            _nodes_in(element, found)
    elif hasattr(value, "__attrs_attrs__"):
        found.append(value)


def walk(node) -> Iterator:
    """The node and every node inside it, depth first, in the order written."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def references(expr) -> Iterator:
    """Names, measure look-ups (tree.m, tree[k].m, x.m) and loops (`… for x in …`, {for}) in an
    expression, in the order written; a loop's inside is explained per member, with x bound."""
    if isinstance(expr, (Name, Comprehension, Loop)):
        yield expr
    elif isinstance(expr, Attr) and isinstance(expr.target, (Name, Index)):
        yield expr
    else:
        for child in children(expr):
            yield from references(child)


def statements(body: tuple) -> Iterator:
    """Every statement of a body and, in order, of the parts, sections, lists and blocks inside it."""
    stack = [iter(body)]
    while stack:
        for statement in stack[-1]:
            yield statement
            fields = _body_fields(type(statement))
            if fields:
                found: list = []
                for name in fields:
                    _nodes_in(getattr(statement, name), found)
                stack.append(iter([child for child in found if isinstance(child, STATEMENTS)]))
                break
        else:
            stack.pop()


@functools.lru_cache(maxsize=None)
def _body_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node whose declared type admits a statement: only they are looked in for
    statements (a report walks hundreds of statements each compile; their texts hold none)."""
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return _tree_fields(cls)
    return tuple(name for name in _tree_fields(cls) if _admits_statement(hints.get(name, object)))


def _admits_statement(kind) -> bool:
    if kind is object or kind is typing.Any or (isinstance(kind, type) and issubclass(kind, STATEMENTS)):
        return True
    return any(_admits_statement(argument) for argument in get_args(kind) if argument is not Ellipsis)


def name_at(name: str, period: Optional[str]) -> str:
    """A figure's name as written: `name`, or `name@period` for another period."""
    return f"{name}@{period}" if period else name


# ---- expressions --------------------------------------------------------------------


@made_in_bulk
class Number:
    value: Decimal
    decimals: int
    unit: Optional[str]
    span: Span = _span()


@attrs.frozen
class Percent:
    """A percentage literal; value is the ratio (18.7% -> 0.187), decimals count in the ratio."""

    value: Decimal
    decimals: int
    span: Span = _span()


@attrs.frozen
class Text:
    value: str
    span: Span = _span()


@attrs.frozen
class Name:
    name: str
    period: Optional[str] = None
    span: Span = _span()


@attrs.frozen
class Attr:
    target: "Expr"
    name: str
    span: Span = _span()


@attrs.frozen
class Index:
    target: "Expr"
    key: str
    span: Span = _span()


@attrs.frozen
class Call:
    function: str
    args: tuple["Expr", ...]
    span: Span = _span()


@attrs.frozen
class Comprehension:
    function: str
    element: "Expr"
    variable: str
    sequence: "Expr"
    condition: Optional["Expr"]
    span: Span = _span()


@attrs.frozen
class BinOp:
    op: str
    left: "Expr"
    right: "Expr"
    span: Span = _span()


@attrs.frozen
class Compare:
    op: str
    left: "Expr"
    right: "Expr"
    span: Span = _span()


@attrs.frozen
class Logic:
    op: str  # "and" | "or"
    left: "Expr"
    right: "Expr"
    span: Span = _span()


@attrs.frozen
class Not:
    operand: "Expr"
    span: Span = _span()


@made_in_bulk
class Neg:
    operand: "Expr"
    span: Span = _span()


@attrs.frozen
class Coalesce:
    """`a ?? b`: b where a has no value (a zero base, or an unfilled placeholder)."""

    left: "Expr"
    right: "Expr"
    span: Span = _span()


Expr = Union[Number, Percent, Text, Name, Attr, Index, Call, Comprehension, BinOp, Compare, Logic, Not, Neg, Coalesce]


@attrs.frozen
class Blank:
    """`-` in an item's values or a table cell: nothing stated."""

    span: Span = _span()


@attrs.frozen
class Placeholder:
    """`?`: a value the author still has to fill in (with the unit it will have, if said)."""

    unit: Optional[str] = None
    span: Span = _span()


# ---- narrative templates -----------------------------------------------------------------


@attrs.frozen
class Literal:
    text: str
    span: Span = _span()


@attrs.frozen
class Interp:
    expr: Expr
    format: Optional[str]
    span: Span = _span()


@attrs.frozen
class IfChain:
    branches: tuple[tuple[Optional[Expr], "Template"], ...]  # condition None = else
    span: Span = _span()


@attrs.frozen
class Loop:
    variable: str
    sequence: Expr
    condition: Optional[Expr]
    separator: str
    body: "Template"
    span: Span = _span()


TemplatePart = Union[Literal, Interp, IfChain, Loop]


@attrs.frozen
class Template:
    parts: tuple[TemplatePart, ...]
    span: Span = _span()


# ---- definitions ------------------------------------------------------------------------


@attrs.frozen
class Header:
    department: str
    year: Optional[int]
    unit: Optional[str]
    layout: Optional[str]
    prior: Optional["Ref"] = None  # the prior year's report: its path (as name) and where it is named
    rounding: Optional[str] = None  # `rounding interval`: typed figures stand for ± half a unit (opt-in)
    layout_span: Optional[Span] = attrs.field(default=None, eq=False)
    span: Span = _span()


@attrs.frozen
class LayoutHeader:
    """`layout "name" ["title"] [unit U]`: the head of a layout file, not of a department's report."""

    name: str
    title: Optional[str]
    unit: Optional[str]
    span: Span = _span()

    # A layout checked alone reads as a report of no year, on no layout and with no prior year,
    # whose {department} is the layout's title.
    year = None
    layout = None
    prior = None
    rounding = None
    layout_span = None

    @property
    def department(self) -> str:
        return self.title or self.name


@attrs.frozen
class Ref:
    name: str
    period: Optional[str]
    span: Span = _span()


@attrs.frozen
class Fact:
    target: Ref
    value: Union[Expr, Placeholder]
    within: Optional[Ref]
    span: Span = _span()


@attrs.frozen
class Let:
    target: Ref
    expr: Expr
    format: Optional[str]
    span: Span = _span()


@attrs.frozen
class Check:
    expr: Expr
    severity: Severity
    message: str
    rounding: Optional[str] = None  # `interval`: this check under the interval rule
    span: Span = _span()


@attrs.frozen
class StatedEntry:
    """`EXPR = LITERAL row "…" column "…" sentence "…"`: one figure or text as a document printed it."""

    expr: Expr
    literal: Union[Number, Percent, Text, Blank, Neg]
    row: Optional[str] = None
    column: Optional[str] = None
    sentence: Optional[str] = None
    span: Span = _span()


@attrs.frozen
class Stated:
    """`stated page N table "…" { entries }`: the figures of one place of a published document."""

    page: Optional[int]
    place: Optional[tuple[str, str]]  # ("table" | "section", its title as printed)
    severity: Severity
    entries: tuple[StatedEntry, ...]
    rounding: Optional[str] = None
    span: Span = _span()


@made_in_bulk
class ItemNode:
    key: str
    is_code: bool
    label: Optional[str]
    values: tuple[Union[Expr, Blank, Placeholder], ...]
    attributes: tuple[tuple[str, Union[Template, Placeholder]], ...]  # `reason ?`: still to write
    children: tuple["ItemNode", ...]
    span: Span = _span()


@attrs.frozen
class Items:
    name: str
    title: Optional[str]
    measures: tuple[str, ...]
    nodes: tuple[ItemNode, ...]
    span: Span = _span()


# ---- document ---------------------------------------------------------------------------


@attrs.frozen
class Para:
    template: Template
    plain: bool = False  # inside a list: not numbered
    name: Optional[str] = None  # a layout's paragraph a report can replace
    span: Span = _span()


@attrs.frozen
class TextBlock:
    paragraphs: tuple[Template, ...]
    span: Span = _span()


@attrs.frozen
class ListBlock:
    style: Optional[str]
    body: tuple["Block", ...]
    span: Span = _span()


@attrs.frozen
class ForBlock:
    variable: str
    sequence: Expr
    condition: Optional[Expr]
    body: tuple["Block", ...]
    span: Span = _span()


@attrs.frozen
class IfBlock:
    condition: Expr
    body: tuple["Block", ...]
    orelse: tuple["Block", ...]
    span: Span = _span()


@attrs.frozen
class Column:
    title: str
    subcolumns: tuple["Column", ...] = ()  # a header of several levels: "本年支出" ["合计", "基本支出"]

    @property
    def leaves(self) -> int:
        return sum(sub.leaves for sub in self.subcolumns) or 1

    @property
    def depth(self) -> int:
        return 1 + max((sub.depth for sub in self.subcolumns), default=0)


@attrs.frozen
class Cell:
    expr: Union[Expr, Blank]
    format: Optional[str]
    span: Span = _span()


@attrs.frozen
class Row:
    cells: tuple[Cell, ...]
    span: Span = _span()


@attrs.frozen
class Rows:
    variable: str
    sequence: Expr
    condition: Optional[Expr]
    cells: tuple[Cell, ...]
    span: Span = _span()


@attrs.frozen
class Side:
    rows: tuple[Union[Row, Rows], ...]
    span: Span = _span()


@attrs.frozen
class TableAbove:
    """The line printed over a table: `above left "编制单位：{department}" right "单位：{unit}"`."""

    left: Optional[Template]
    right: Optional[Template]
    span: Span = _span()


@attrs.frozen
class Table:
    name: str
    title: Template
    columns: tuple[Column, ...]
    body: tuple[Union[Row, Rows, Side], ...]
    notes: tuple[Template, ...]
    empty_note: Optional[Template]
    above: Optional[TableAbove] = None  # None: 单位 of the table's amounts on the right, if it has any
    span: Span = _span()


@attrs.frozen
class ChartPoint:
    label: Template
    value: Expr
    span: Span = _span()


@attrs.frozen
class Chart:
    kind: str
    name: str
    title: Template
    points: tuple[ChartPoint, ...]
    span: Span = _span()


@attrs.frozen
class Section:
    title: Template
    plain: bool
    body: tuple["Statement", ...]
    name: Optional[str] = None  # a layout's section a report can replace
    anchor: Optional[tuple[str, str]] = None  # ("after" | "before", name of a layout's part or section)
    span: Span = _span()
    retitle: bool = False  # written without a body: the layout's section of this name, retitled


@attrs.frozen
class Part:
    title: Template
    body: tuple["Statement", ...]
    name: Optional[str] = None
    anchor: Optional[tuple[str, str]] = None
    span: Span = _span()
    retitle: bool = False  # written without a body: the layout's part of this name, retitled


@attrs.frozen
class ClassEntry:
    code: str
    name: str
    span: Span = _span()


@attrs.frozen
class Classification:
    """`classification { CODE "NAME" … }`: codes added to (or renamed in) the standard list for this report."""

    entries: tuple[ClassEntry, ...]
    span: Span = _span()


Definition = Union[Fact, Let, Check, Items, Stated, Classification]
Block = Union[Para, TextBlock, ListBlock, ForBlock, IfBlock, Table, Chart]
Statement = Union[Definition, Part, Section, Block]
STATEMENTS = (*get_args(Definition), Part, Section, *get_args(Block))


@attrs.frozen
class Comment:
    text: str
    span: Span = _span()


@attrs.frozen
class Report:
    header: Union[Header, LayoutHeader]
    body: tuple[Statement, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)
    span: Span = _span()
