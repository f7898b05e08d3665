"""AST + evaluated values -> Document: numbering from position, templates filled, tables and charts laid out.

Gaps (a `?`, a zero base) never stop this stage: they are shown as 【…】 and recorded as
FigureUse, and the checks turn them into diagnostics, so nothing with a gap is ever written.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

import attrs

from . import ast, model
from .diagnostics import error
from .evaluated import Evaluated
from .limits import (MAX_BLOCKS, MAX_DEPENDENCY_DEPTH, MAX_FIGURE_USES, MAX_TABLE_ROWS, MAX_TEXT_CHARS,
                     MAX_TOTAL_TEXT_CHARS, over)
from .number_text import chinese_number, chinese_value, default_format, describe, format_quantity
from .values import MONEY_UNITS, Gap, Missing, NodeValue, Quantity, Value

GAP = "【?】"
MAX_CHART_POINTS = 100  # a readable chart has far fewer; drawing thousands takes minutes (docs/security.md)


def heading_number(depth: int, position: int) -> str:
    """Section numbering by depth under a part: 一、 （一） 1. （1）."""
    styles = (lambda n: f"{chinese_number(n)}、", lambda n: f"（{chinese_number(n)}）",
              lambda n: f"{n}.", lambda n: f"（{n}）")
    return styles[min(depth, len(styles)) - 1](position)


_SAMPLE_NUMBER = re.compile(r"[0-9]+|[一二三四五六七八九十]+")


def list_number(depth: int, position: int, style: Optional[str] = None) -> str:
    """Numbering of list paragraphs: by depth, 1. then （1）; or after a sample of the first number,
    which also says where counting starts: "一、", "（1）", "（5）" (starts at 5), "1.1、" (1.1、 1.2、)."""
    if style is None:
        return f"{position}." if depth == 1 else f"（{position}）"
    match = list(_SAMPLE_NUMBER.finditer(style))[-1]  # "1.1、" counts with its last number
    digits = match.group()
    first = int(digits) if digits.isdigit() else chinese_value(digits)
    number = first + position - 1
    shown = str(number) if digits.isdigit() else chinese_number(number)
    return style[: match.start()] + shown + style[match.end() :]


class DocumentBuilder:
    def __init__(self, evaluated: Evaluated):
        self.ev = evaluated
        self.blocks: list[model.Block] = []
        self.figures: list[model.FigureUse] = []
        self.chart_count = 0
        self.rows = 0
        self.text_chars = 0
        self.rendering: set[int] = set()  # ids of the named texts being filled in, one inside the next
        # named texts already filled in, by (text, scope, what stands before): a text that repeats
        # another twice, twenty times over, costs twenty fillings, not a million
        self.filled: dict[tuple, tuple] = {}

    def add_block(self, block: model.Block) -> None:
        if len(self.blocks) >= MAX_BLOCKS:
            raise over("RD008", f"the report would have more than {MAX_BLOCKS:,} headings, paragraphs, tables and charts",
                       block.span, "a report is read by people: loop over fewer items, or publish the detail as a table")
        self.text_chars += block_chars(block)
        if self.text_chars > MAX_TOTAL_TEXT_CHARS:
            raise over("RD008", f"the report's text would be more than {MAX_TOTAL_TEXT_CHARS:,} characters long",
                       block.span, "loop over fewer items, or write shorter texts")
        self.blocks.append(block)

    def record(self, use: model.FigureUse) -> None:
        if len(self.figures) >= MAX_FIGURE_USES:
            raise over("RD008", f"the report would print more than {MAX_FIGURE_USES:,} figures", use.span,
                       "loop over fewer items")
        self.figures.append(use)

    def count_rows(self, count: int, span) -> None:
        self.rows += count
        if self.rows > MAX_TABLE_ROWS:
            raise over("RD008", f"the tables would have more than {MAX_TABLE_ROWS:,} rows together", span,
                       "publish such detail as a spreadsheet, not in a report")

    def build(self, report: ast.Report) -> model.Document:
        self._statements(report.body, depth=0)
        header = report.header
        year = f"{header.year}年度" if header.year is not None else ""
        evaluated = self.ev
        return model.Document(f"{header.department}{year}部门决算", header.department, header.year,
                              header.unit or "", tuple(self.blocks), tuple(self.figures),
                              functools.cache(lambda: tuple(named_figures(evaluated))),
                              layout=header.layout or "")

    # ---- structure --------------------------------------------------------------------------

    def _statements(self, body, depth: int) -> None:
        counters = {"part": 0, "section": 0}
        for statement in body:
            if isinstance(statement, (ast.Part, ast.Section)) and statement.retitle:
                self._nothing_to_retitle(statement)
            if isinstance(statement, ast.Part):
                counters["part"] += 1
                title = self.render(statement.title, {})
                self.add_block(model.Heading(1, f"第{chinese_number(counters['part'])}部分", title, statement.span,
                                             first_figure=len(self.figures)))
                self._statements(statement.body, depth=1)
            elif isinstance(statement, ast.Section):
                level = max(depth, 1)
                number = ""
                if not statement.plain:
                    counters["section"] += 1
                    number = heading_number(level, counters["section"])
                title = self.render(statement.title, {})
                self.add_block(model.Heading(level + 1, number, title, statement.span, first_figure=len(self.figures)))
                first = len(self.blocks)
                # an unnumbered heading (附件 1) is no level of numbering: its sections count from 一、
                self._statements(statement.body, depth=level if statement.plain else level + 1)
                self._title_once(first)
            else:
                self._block(statement, {}, list_depth=0, counter=None)

    def _nothing_to_retitle(self, statement) -> None:
        kind = "part" if isinstance(statement, ast.Part) else "section"
        self.ev.report(error("RD121", f"this {kind} has no body, and no layout's {kind} of its name to retitle",
                             statement.span, f"give it a body: {kind} … {{ para \"…\" }}",
                             f"or name the layout's {kind} it retitles: {kind} NAME \"new title\""))

    def _title_once(self, first: int) -> None:
        """A section holding just a table of the same title prints the title once, as the caption."""
        heading, inside = self.blocks[first - 1], self.blocks[first:]
        if len(inside) == 1 and isinstance(inside[0], model.TableModel) and inside[0].title == heading.title:
            self.blocks[first - 1] = attrs.evolve(heading, caption=True)

    def _blocks(self, blocks, scope, list_depth, counter) -> None:
        for block in blocks:
            self._block(block, scope, list_depth, counter)

    def _block(self, block, scope: dict, list_depth: int, counter: Optional[list]) -> None:
        if isinstance(block, ast.Para):
            first = len(self.figures)
            text = self.render(block.template, scope)
            self._paragraph(text, block.span, list_depth, None if block.plain else counter, first)
        elif isinstance(block, ast.TextBlock):
            for template in block.paragraphs:
                first = len(self.figures)
                self._paragraph(self.render(template, scope), template.span, list_depth, counter, first)
        elif isinstance(block, ast.ListBlock):
            self._blocks(block.body, scope, list_depth + 1, [0, block.style])
        elif isinstance(block, ast.ForBlock):
            members = self.ev.comprehend(block.variable, block.sequence, block.condition, scope)
            for member in members if isinstance(members, tuple) else ():
                self._blocks(block.body, {**scope, block.variable: member}, list_depth, counter)
        elif isinstance(block, ast.IfBlock):
            chosen = self.condition(block.condition, scope)
            self._blocks(block.body if chosen else block.orelse, scope, list_depth, counter)
        elif isinstance(block, ast.Table):
            self.add_block(self.table_builder(block, scope).build(scope))
        elif isinstance(block, ast.Chart):
            self._chart(block, scope)

    def table_builder(self, table: ast.Table, scope: dict) -> "TableBuilder":
        return TableBuilder(self, table)

    def _paragraph(self, text: str, span, list_depth: int, counter: Optional[list], first: int) -> None:
        number = ""
        if list_depth and counter is not None:
            counter[0] += 1
            number = list_number(list_depth, counter[0], counter[1])
        self.add_block(model.Paragraph(text, number, span, (first, len(self.figures))))

    # ---- templates -------------------------------------------------------------------------------

    def render(self, template: ast.Template, scope: dict, before: str = "") -> str:
        """The text of a template. `before` is the end of the text in front of it (TAIL characters,
        trailing spaces dropped): what the checks read in front of a figure, kept short so that a
        paragraph of many figures costs memory in proportion to its length, not its square."""
        out: list[str] = []
        length = 0
        for part in template.parts:
            if isinstance(part, ast.Literal):
                piece = part.text
            elif isinstance(part, ast.Interp):
                piece = self._interpolate(part, scope, text_tail(before, out))
            elif isinstance(part, ast.IfChain):
                piece = self._if_chain(part, scope, text_tail(before, out))
            else:
                piece = self._loop(part, scope, text_tail(before, out))
            out.append(piece)
            length += len(piece)
            self._check_length(length, template.span)
        self.ev.work.spend(len(template.parts), template.span)
        return "".join(out)

    def _check_length(self, length: int, span) -> None:
        if length > MAX_TEXT_CHARS:
            raise over("RD008", f"this text would be more than {MAX_TEXT_CHARS:,} characters long", span,
                       "a text that repeats other texts doubles with each step; write the text out")

    def render_value(self, template: ast.Template, scope: dict, span, before: str = "") -> str:
        """A text named in another text: {s} where `fact s = "…{…}…"`; one that names itself, even
        through others, is a cycle."""
        if id(template) in self.rendering:
            self.ev.report(error("RD103", "this text includes itself", span,
                                 "a text may name other texts, but never, through them, itself"))
            return GAP
        if len(self.rendering) >= MAX_DEPENDENCY_DEPTH:
            raise over("RD007", f"texts name one another more than {MAX_DEPENDENCY_DEPTH} deep", span,
                       "write the text out instead of naming a text that names a text …")
        key = (id(template), id(scope), before)
        if key in self.filled:  # the same text again, in the same place: its figures are recorded again
            text, uses, _ = self.filled[key]
            for use in uses:
                self.record(use)
            return text
        first = len(self.figures)
        self.rendering.add(id(template))
        try:
            text = self.render(template, scope, before)
        finally:
            self.rendering.discard(id(template))
        self.filled[key] = (text, tuple(self.figures[first:]), scope)  # the scope is kept so its id stays its own
        return text

    def _if_chain(self, chain: ast.IfChain, scope, before) -> str:
        for condition, body in chain.branches:
            if condition is None or self.condition(condition, scope):
                return self.render(body, scope, before)
        return ""

    def _loop(self, loop: ast.Loop, scope, before) -> str:
        members = self.ev.comprehend(loop.variable, loop.sequence, loop.condition, scope)
        if not isinstance(members, tuple):
            return GAP
        pieces = [self.render(loop.body, {**scope, loop.variable: m}, before) for m in members]
        return loop.separator.join(pieces)

    def condition(self, expr, scope) -> bool:
        value = self.ev.eval(expr, scope)
        if isinstance(value, bool):
            return value
        if isinstance(value, Missing):
            self.record(model.FigureUse(model.UseKind.CONDITION, value, None, GAP, "", expr.span, expr, scope))
        else:
            self.ev.report(error("RD106", f"a condition must be true or false, not {describe(value)}", expr.span,
                                 "compare it: {if x != 0}…{end}"))
        return False

    def _interpolate(self, part: ast.Interp, scope, before: str) -> str:
        value = self.ev.eval(part.expr, scope)
        if isinstance(value, ast.Template):
            shown = self.render_value(value, scope, part.span, before)  # a text (a reason, a note): its words, for stale_text
            self.record(model.FigureUse(model.UseKind.WORDS, value, part.format, shown, before, part.span, part.expr, scope))
            return shown
        shown = self.show(value, part.format, part.expr.span)
        self.record(model.FigureUse(model.UseKind.TEXT, value, part.format, shown, before, part.span, part.expr, scope))
        return shown

    def show(self, value: Value, fmt: Optional[str], span) -> str:
        if isinstance(value, Quantity):
            return format_quantity(value, fmt)
        if isinstance(value, str):
            return value
        if isinstance(value, NodeValue):
            return value.node.name
        if isinstance(value, Missing):
            return GAP
        self.ev.report(error("RD106", f"{describe(value)} cannot be printed", span,
                             "print a figure, a text or an item; lists go through {for}…{end}"))
        return GAP

    # ---- charts -----------------------------------------------------------------------------------

    def _chart(self, chart: ast.Chart, scope) -> None:
        self.chart_count += 1
        if len(chart.points) > MAX_CHART_POINTS:
            self.ev.report(error("RD008", f"the chart has {len(chart.points)} points; a chart may have at most "
                                 f"{MAX_CHART_POINTS}", chart.span, "publish the detail as a table"))
            return
        labels, values, texts = [], [], []
        unit = self.ev.names.header.unit or ""
        for point in chart.points:
            label = self.render(point.label, scope)
            value = self.ev.eval(point.value, scope)
            shown = self.show(value, default_format(value) if isinstance(value, Quantity) else None, point.value.span)
            self.record(model.FigureUse(model.UseKind.CHART, value, None, shown, label, point.value.span))
            if isinstance(value, Quantity):
                labels.append(label)
                values.append(value.value)
                texts.append(shown)
                unit = value.unit if value.unit in MONEY_UNITS else unit
        self.add_block(model.ChartModel(chart.kind, chart.name, self.render(chart.title, scope), self.chart_count,
                                            tuple(labels), tuple(values), tuple(texts), unit, chart.span))


class TableBuilder:
    def __init__(self, builder: DocumentBuilder, table: ast.Table):
        self.builder, self.table = builder, table
        self.money_unit = ""  # 单位：万元 is printed only over a table of amounts

    def build(self, scope) -> model.TableModel:
        table = self.table
        rows: list[tuple[model.TableCell, ...]] = []
        for entry in table.body:
            if isinstance(entry, ast.Side):
                continue
            rows.extend(self._entry(entry, scope))
        sides = [self._side(entry, scope) for entry in table.body if isinstance(entry, ast.Side)]
        rows.extend(zip_sides(sides))
        empty = not any(cell.numeric and cell.text and not is_zero_text(cell.text) for row in rows for cell in row)
        notes = [self.builder.render(note, scope) for note in table.notes]
        if empty and table.empty_note is not None:  # an empty table carries its one note: the empty one
            notes = [self.builder.render(table.empty_note, scope)]
        title = self.builder.render(table.title, scope)
        return model.TableModel(table.name, title, header_rows(table.columns), tuple(rows), tuple(notes), empty,
                                self.money_unit, self._above(scope), table.span)

    def _above(self, scope) -> tuple[str, str]:
        """The line over the table as the layout words it; without one, the unit of its amounts."""
        above = self.table.above
        if above is None:
            return ("", f"单位：{self.money_unit}" if self.money_unit else "")
        left, right = (self.builder.render(side, scope) if side is not None else "" for side in (above.left, above.right))
        return left, right

    def _side(self, side: ast.Side, scope) -> list[tuple[model.TableCell, ...]]:
        rows = []
        for entry in side.rows:
            rows.extend(self._entry(entry, scope))
        return rows

    def _entry(self, entry, scope) -> list[tuple[model.TableCell, ...]]:
        if isinstance(entry, ast.Row):
            return [self._cells(entry.cells, scope)]
        members = self.builder.ev.comprehend(entry.variable, entry.sequence, entry.condition, scope)
        if not isinstance(members, tuple):
            return []
        self.builder.count_rows(len(members), entry.span)
        return [self._row(entry, member, scope) for member in members]

    def _row(self, entry: ast.Rows, member, scope) -> tuple[model.TableCell, ...]:
        return self._cells(entry.cells, {**scope, entry.variable: member})

    def _cells(self, cells, scope) -> tuple[model.TableCell, ...]:
        return tuple(self._cell(cell, scope) for cell in cells)

    def _cell(self, cell: ast.Cell, scope) -> model.TableCell:
        if isinstance(cell.expr, ast.Blank):
            return model.TableCell("")
        value = self.builder.ev.eval(cell.expr, scope)
        if isinstance(value, ast.Template):
            return model.TableCell(self.builder.render_value(value, scope, cell.span))
        if isinstance(value, Missing) and value.kind is Gap.BLANK:
            self.money_unit = self.money_unit or (self.builder.ev.names.header.unit or "")  # an empty amount
            return model.TableCell("", numeric=True)
        fmt = cell.format or (default_format(value) if isinstance(value, Quantity) else None)
        shown = self.builder.show(value, fmt, cell.span)
        self.builder.record(model.FigureUse(model.UseKind.CELL, value, fmt, shown, "", cell.span))
        if isinstance(value, Quantity) and value.unit in MONEY_UNITS:
            self.money_unit = value.unit
        return model.TableCell(shown, numeric=isinstance(value, (Quantity, Missing)))


def block_chars(block: model.Block) -> int:
    if isinstance(block, model.Paragraph):
        return len(block.text)
    if isinstance(block, model.Heading):
        return len(block.title)
    if isinstance(block, model.TableModel):
        return sum(len(cell.text) for row in block.rows for cell in row) + sum(map(len, block.notes))
    return sum(map(len, block.labels)) if isinstance(block, model.ChartModel) else 0


TAIL = 64  # characters kept in front of a figure: the checks read the words just before it (增加, 原因是, 完成…的, 未发生…)


def text_tail(before: str, pieces: list[str]) -> str:
    """The last TAIL characters of `before` followed by `pieces`, trailing spaces dropped."""
    kept: list[str] = []
    length = 0
    for piece in reversed(pieces):
        piece = piece if kept else piece.rstrip()
        if piece:
            kept.append(piece[-TAIL:])
            length += len(kept[-1])
            if length >= TAIL:
                break
    else:
        kept.append(before if kept else before.rstrip())
    return "".join(reversed(kept))[-TAIL:]


def is_zero_text(text: str) -> bool:
    return text.replace("0", "").replace(".", "").replace("%", "") == ""


def zip_sides(sides: list[list[tuple]]) -> list[tuple]:
    if not sides:
        return []
    widths = [max((len(row) for row in side), default=0) for side in sides]
    height = max(len(side) for side in sides)
    rows = []
    for index in range(height):
        row: tuple = ()
        for side, width in zip(sides, widths):
            cells = side[index] if index < len(side) else ()
            row += tuple(cells) + (model.TableCell(""),) * (width - len(cells))
        rows.append(row)
    return rows


def header_rows(columns: tuple[ast.Column, ...]) -> tuple[tuple[model.HeaderCell, ...], ...]:
    """The header as rows of cells: a column with sub-columns spans them; a column without spans
    every level below it (three levels: 预算数 → 公务用车购置及运行费 → 小计 | 购置费 | 运行费)."""
    depth = max((column.depth for column in columns), default=1)
    rows: list[list[model.HeaderCell]] = [[] for _ in range(depth)]

    def place(column: ast.Column, level: int) -> None:
        rowspan = 1 if column.subcolumns else depth - level
        rows[level].append(model.HeaderCell(column.title, colspan=column.leaves, rowspan=rowspan))
        for sub in column.subcolumns:
            place(sub, level + 1)

    for column in columns:
        place(column, 0)
    return tuple(tuple(row) for row in rows)


def named_figures(ev: Evaluated):
    """Every fact and let in order of declaration, then every item's every measure."""
    for (name, period), decl in ev.names.definitions.items():
        kind = "fact" if isinstance(decl, ast.Fact) else "let"
        yield named_figure(kind, name, period, ev.value_of((name, period)), decl.span)
    for tree in ev.names.trees.values():
        for node in tree.walk():
            for measure in tree.measures:
                value = ev.measure(node, measure, None)
                kind = "item" if ev.stated_measure(node, measure) is not None or not node.children else "sum"
                yield named_figure(kind, f"{tree.name}[{node.key}].{measure}", None, value, node.span)


def named_figure(kind: str, name: str, period, value, span) -> model.NamedFigure:
    if isinstance(value, Quantity):
        return model.NamedFigure(kind, name, period, f"{value.value:f}", value.unit, format_quantity(value, None),
                                 value.format, None, span)
    if isinstance(value, Missing):
        return model.NamedFigure(kind, name, period, None, None, "", None, value.kind, span)
    text = value if isinstance(value, str) else "".join(p.text for p in value.parts if isinstance(p, ast.Literal)) \
        if isinstance(value, ast.Template) else str(value)
    return model.NamedFigure(kind, name, period, text, None, text, None, None, span)


def build_document(report: ast.Report, evaluated: Evaluated) -> model.Document:
    """The document, from the syntax tree and the evaluated values; faults go to evaluated's sink."""
    return DocumentBuilder(evaluated).build(report)
