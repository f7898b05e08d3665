"""The evaluated document that backends read: headings, paragraphs, tables and charts, every
figure already formatted. Backends lay this out; they never compute or round."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Optional, Union

import attrs

from .source import Span, made_in_bulk
from .text_enum import TextEnum


@attrs.frozen
class Heading:
    level: int  # 1 = part, 2 = section, 3 = sub-section, …
    number: str  # 第一部分, 一、, （一）, 1. — empty for a plain heading
    title: str
    span: Optional[Span] = attrs.field(default=None, eq=False)
    # A section that holds just a table of its own title is printed once, as the table's caption;
    # it still counts in the numbering and stands in the 目录.
    caption: bool = False
    first_figure: int = attrs.field(default=0, eq=False)  # Document.figures[first_figure:] are met under it

    @property
    def text(self) -> str:
        separator = " " if self.level == 1 and self.number else ""
        return f"{self.number}{separator}{self.title}"


@attrs.frozen
class Paragraph:
    text: str
    number: str = ""  # list numbering derived from position: 1. / （1）
    span: Optional[Span] = attrs.field(default=None, eq=False)
    figures: tuple[int, int] = attrs.field(default=(0, 0), eq=False)  # its FigureUses: Document.figures[a:b]

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}"


@attrs.frozen
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@made_in_bulk
class TableCell:
    text: str
    numeric: bool = False


@attrs.frozen
class TableModel:
    name: str
    title: str
    header: tuple[tuple[HeaderCell, ...], ...]
    rows: tuple[tuple[TableCell, ...], ...]
    notes: tuple[str, ...]
    empty: bool
    unit: str  # the unit of the table's amounts; empty for a table with none
    above: tuple[str, str] = ("", "")  # the line over the table: left (编制单位：…) and right (单位：万元)
    span: Optional[Span] = attrs.field(default=None, eq=False)

    @property
    def width(self) -> int:
        return sum(cell.colspan for cell in self.header[0]) if self.header else 0

    def column_paths(self) -> list[tuple[str, ...]]:
        """Each column's header titles from the top level down: ("本年支出", "合计")."""
        grid: list[list[Optional[HeaderCell]]] = [[None] * self.width for _ in self.header]
        for level, row in enumerate(self.header):
            column = 0
            for cell in row:
                while column < self.width and grid[level][column] is not None:
                    column += 1  # taken by a cell spanning down from a level above
                for below in range(level, min(level + cell.rowspan, len(self.header))):
                    for offset in range(min(cell.colspan, self.width - column)):
                        grid[below][column + offset] = cell
                column += cell.colspan
        paths = []
        for column in range(self.width):
            cells = [grid[level][column] for level in range(len(self.header))]
            distinct = [c for i, c in enumerate(cells) if c is not None and (i == 0 or c is not cells[i - 1])]
            paths.append(tuple(c.text for c in distinct))
        return paths


@attrs.frozen
class ChartModel:
    kind: str  # bar | pie
    name: str
    title: str
    number: int  # 图1, 图2, … by position
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    value_texts: tuple[str, ...]
    unit: str
    span: Optional[Span] = attrs.field(default=None, eq=False)


Block = Union[Heading, Paragraph, TableModel, ChartModel]


class UseKind(TextEnum):
    """Where a figure was met: in a sentence (a figure, or words such as a reason), as a condition, in a table
    cell, in a chart."""

    TEXT = "text"
    WORDS = "words"  # a text, such as a reason, printed in a sentence
    CONDITION = "condition"
    CELL = "cell"
    CHART = "chart"


@made_in_bulk
class FigureUse:
    """One figure or condition met while the document was built; checks read these."""

    kind: UseKind
    value: object
    format: Optional[str]
    shown: str
    before: str
    span: Optional[Span] = attrs.field(default=None, eq=False)
    expr: object = attrs.field(default=None, eq=False, repr=False)  # what was evaluated, for `explain`
    scope: dict = attrs.field(factory=dict, eq=False, repr=False)  # loop variables it was evaluated with


@attrs.frozen
class NamedFigure:
    """A typed or derived figure of the report, as exported (JSON) and explained."""

    kind: str  # fact | let | item (a typed item value) | sum (an item's measure summed from its children)
    name: str  # 收支总计, or gpb[2060101].决算 for an item's measure
    period: Optional[str]
    value: Optional[str]  # exact: a Decimal's digits, or a text; None for a gap
    unit: Optional[str]
    shown: str  # as a sentence prints it by default
    format: Optional[str]
    gap: Optional[str]  # unfilled | blank | zero_base | failed
    span: Optional[Span] = attrs.field(default=None, eq=False)


@attrs.frozen
class Document:
    title: str
    department: str
    year: Optional[int]
    unit: str
    blocks: tuple[Block, ...]
    figures: tuple[FigureUse, ...] = attrs.field(default=(), eq=False)
    # Every named figure of the report, listed when first asked for (an export, a semantic diff): a
    # check never reads them, and a report of 50,000 items has 100,000.
    named_later: Callable[[], tuple[NamedFigure, ...]] = attrs.field(default=tuple, eq=False, repr=False)
    layout: str = ""  # the packaged layout it follows, whose Word template (if any) sets it

    @property
    def named(self) -> tuple[NamedFigure, ...]:
        return self.named_later()

    def paragraphs(self) -> list[str]:
        return [b.full_text for b in self.blocks if isinstance(b, Paragraph)]
