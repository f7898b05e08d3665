"""A table of the document model as WordprocessingML, written as one piece of XML.

python-docx builds a table cell by cell and looks up its grid on every access, which made the
nine tables most of the Word backend's time; the XML here is the same (borders on the table,
fixed layout, narrow cell margins, merged headers of any depth, styles by id) in one parse.

Column widths come from the content: amounts and codes never wrap, a name such as 科目名称 wraps
at most once, a header title may take three lines. A table whose columns need more than the
portrait text width is laid on a landscape page (`needs_landscape`). Header rows repeat on every
page the table continues on, and no row is split across pages.
"""

from __future__ import annotations

import functools
import html
import math

import attrs

from .. import model
from ..text_width import display_width
from .title_lines import balanced_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CELL_MARGIN_TWIPS = 57  # 0.1 cm
HALF_WIDTH_TWIPS = 105  # half of a 五号 (10.5 pt) character: a digit, or half a Chinese character
CELL_SLACK_TWIPS = 2 * CELL_MARGIN_TWIPS + 60  # margins, and a little air so that 1,234.56 never wraps
MIN_COLUMN_HALF_WIDTHS = 4  # two Chinese characters
MIN_AMOUNT_HALF_WIDTHS = 10  # an amount column holds 1,234.56 with room, as the published tables do
HEADER_LINES = 3  # a header title may wrap onto this many lines
HEADER_LAST_WORDS = ("合计", "收入", "支出", "结余")  # what the standard headers end with
# Rows of a landscape table are at least 0.75 cm high, as in the published ones (Putuo: 21–24.5 pt);
# a portrait table keeps rows of one line (published: 14–16 pt), so that table 1 stays on one page.
LANDSCAPE_ROW_TWIPS = 425
CENTRED_COLUMNS = ("序号", "行次", "栏次")  # the standard centres running numbers; codes stay left
BORDER_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


def escape(text: str) -> str:
    """Text for XML content or a double-quoted attribute value that holds no quote (xml.sax.saxutils'
    escape, whose module imports urllib.request and with it most of the standard library)."""
    return html.escape(text, quote=False)


@attrs.frozen
class Page:
    """The text width of a standard table's page (render/docx_layout.py: TABLE_MARGIN), in twips,
    portrait and landscape."""

    portrait: int = 9070  # 16 cm: A4 less a table page's margins, 2.5 cm each side
    landscape: int = 14002  # 24.7 cm: A4 across less 2.5 cm each side


def unbroken(cell: model.TableCell) -> bool:
    return cell.numeric or cell.text.replace(".", "").isdigit()


def cell_need(cell: model.TableCell, lines: int = 2, amount_air: bool = True) -> int:
    """Half-widths a body cell needs: all of a figure or a code (with room around an amount), a name
    on at most `lines` lines."""
    width = display_width(cell.text)
    if cell.numeric:
        return max(width, MIN_AMOUNT_HALF_WIDTHS if amount_air else 0)
    return width if unbroken(cell) else math.ceil(width / (2 * lines)) * 2


def header_need(text: str) -> int:
    width = display_width(text)
    return max(min(width, 8), math.ceil(width / HEADER_LINES / 2) * 2)


def natural_widths(table: model.TableModel, lines: int = 2, amount_air: bool = True) -> list[int]:
    """The width in twips each column needs for its content, names wrapped onto `lines` lines."""
    return list(_natural_widths(table, lines, amount_air))


@functools.lru_cache(maxsize=32)  # asked several times for each table as it is laid out
def _natural_widths(table: model.TableModel, lines: int, amount_air: bool) -> tuple[int, ...]:
    needs = [MIN_COLUMN_HALF_WIDTHS] * max(table.width, 1)
    for row in table.rows:
        for index, value in enumerate(row[: len(needs)]):
            needs[index] = max(needs[index], cell_need(value, lines, amount_air))
    for index, path in enumerate(table.column_paths()):
        needs[index] = max(needs[index], header_need(path[-1]) if path else 0)
    return tuple(need * HALF_WIDTH_TWIPS + CELL_SLACK_TWIPS for need in needs)


def needs_landscape(table: model.TableModel, page: Page = Page()) -> bool:
    return sum(natural_widths(table)) > page.portrait


def column_widths(table: model.TableModel, page: Page = Page()) -> list[int]:
    """Natural widths fitted to the text width: room left over goes first to the names, towards one
    line each (the amounts giving up their air for it, as in table 1), then to every column alike;
    past a landscape page, all shrink alike."""
    natural, one_line = natural_widths(table), natural_widths(table, lines=1)
    available = page.landscape if needs_landscape(table, page) else page.portrait
    tight = natural_widths(table, lines=1, amount_air=False)
    if sum(tight) <= available < sum(one_line):
        air = [full - need for full, need in zip(one_line, tight)]
        return [need + (available - sum(tight)) * more // sum(air) for need, more in zip(tight, air)]
    extra = available - sum(natural)
    room = [full - need for full, need in zip(one_line, natural)]
    if extra <= 0 or sum(room) >= extra:
        if extra <= 0 or not sum(room):
            return [available * width // sum(natural) for width in natural]
        return [need + extra * more // sum(room) for need, more in zip(natural, room)]
    return [available * width // sum(one_line) for width in one_line]


def properties(total_width: int) -> str:
    borders = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for edge in BORDER_EDGES)
    margins = "".join(f'<w:{edge} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for edge in ("left", "right"))
    return (f'<w:tblPr><w:tblW w:w="{total_width}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}'
            f'</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>')


def header_lines(text: str, width: int) -> list[str]:
    """A header title that does not fit its column broken before the word it ends with (本年收入 /
    合计, 财政拨款 / 收入), else in balanced lines (附属单位 / 上缴收入), never wrapped with one
    character left over (附属单位上 / 缴收入)."""
    per_line = max(1, (width - 2 * CELL_MARGIN_TWIPS) // (2 * HALF_WIDTH_TWIPS))
    tail = next((word for word in HEADER_LAST_WORDS if text.endswith(word)), "")
    head = text[: len(text) - len(tail)]
    if tail and len(text) > per_line and 2 <= len(head) <= per_line:
        return [head, tail]
    return balanced_lines(text, per_line)


def cell(text: str, style_id: str, width: int, span: int = 1, merge: str | None = None, align: str = "",
         keep_next: bool = False, lines: list[str] | None = None) -> str:
    """One cell: `merge` is 'restart' for the top of a vertically merged cell, '' for those under it."""
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    vertical = "" if merge is None else '<w:vMerge w:val="restart"/>' if merge else "<w:vMerge/>"
    justify = f'<w:jc w:val="{align}"/>' if align else ""
    run = "<w:r><w:br/></w:r>".join(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
                                   for line in (lines or [text])) if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid_span}{vertical}<w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style_id}"/>{"<w:keepNext/>" if keep_next else ""}{justify}'
            f'</w:pPr>{run}</w:p></w:tc>')


def row(cells: list[str], header: bool = False, height: int = 0) -> str:
    least = f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>' if height else ""
    repeat = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{least}{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def header_rows(table: model.TableModel, widths: list[int], style_id: str) -> list[str]:
    """The header, a cell spanning several rows continued (vMerge) in the rows below it."""
    continued: dict[int, tuple[int, int]] = {}  # column -> (width, rows still to continue)
    rows = []
    for header_row in table.header:
        cells, column, specs = [], 0, iter(header_row)
        placed: dict[int, tuple[int, int]] = {}
        while column < len(widths):
            if column in continued:
                width, left = continued[column]
                cells.append(cell("", style_id, width, merge=""))
                if left > 1:
                    placed[column] = (width, left - 1)
                column += 1
                continue
            spec = next(specs, None)
            if spec is None:
                break
            width = sum(widths[column: column + spec.colspan])
            merge = "restart" if spec.rowspan > 1 else None
            cells.append(cell(spec.text, style_id, width, spec.colspan, merge, lines=header_lines(spec.text, width)))
            if spec.rowspan > 1:
                placed[column] = (width, spec.rowspan - 1)
            column += spec.colspan
        continued = placed
        rows.append(row(cells, header=True))
    return rows


def item_columns(table: model.TableModel) -> int:
    """How many leading columns of text (no figure in any row) share one header over them: 项目 over
    科目编码 and 科目名称, not 收入 over 项目 and 决算数."""
    paths = table.column_paths()
    if not paths or len(paths[0]) < 2:
        return 1
    figures = {index for values in table.rows for index, value in enumerate(values) if value.numeric}
    return next((index for index, path in enumerate(paths) if path[:1] != paths[0][:1] or index in figures),
                len(paths))


def total_span(values: list[model.TableCell], span: int) -> int:
    """A 合计 row's label spans the item columns it alone fills, as the standard tables print it."""
    label, rest = values[0], values[1:span]
    filled = label.text and not label.numeric and not unbroken(label)
    return span if span > 1 and filled and not any(value.text for value in rest) else 1


def body_rows(table: model.TableModel, widths: list[int], style_ids: dict[str, str], height: int = 0) -> list[str]:
    centred = [bool(path) and path[-1] in CENTRED_COLUMNS for path in table.column_paths()]
    centred += [False] * (len(widths) - len(centred))
    rows, body, items = [], table.rows or ((),), item_columns(table)
    for index, values in enumerate(body):
        values = list(values) + [model.TableCell("")] * (len(widths) - len(values))
        keep = bool(table.notes) and index == len(body) - 1  # the last row stays with the note under it
        merged = total_span(values, items) if items > 1 else 0
        cells = [cell(values[0].text, style_ids["表格文字"], sum(widths[:merged]), merged, align="center",
                      keep_next=keep)] if merged > 1 else []
        skip = merged if merged > 1 else 0
        cells += [cell(value.text, style_ids["表格数字" if value.numeric else "表格文字"], width,
                       align="center" if centre else "", keep_next=keep)
                  for value, width, centre in list(zip(values, widths, centred))[skip:]]
        rows.append(row(cells, height=height))
    return rows


def table_xml(table: model.TableModel, style_ids: dict[str, str], page: Page = Page()) -> str:
    widths = column_widths(table, page)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    height = LANDSCAPE_ROW_TWIPS if needs_landscape(table, page) else 0
    rows = header_rows(table, widths, style_ids["表格表头"]) + body_rows(table, widths, style_ids, height)
    return (f'<w:tbl xmlns:w="{W}">{properties(sum(widths))}<w:tblGrid>{grid}</w:tblGrid>'
            f'{"".join(rows)}</w:tbl>')
