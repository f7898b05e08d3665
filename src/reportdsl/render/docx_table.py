"""A table of the document model as WordprocessingML, written as one piece of XML.

python-docx builds a table cell by cell and looks up its grid on every access, which made the
nine tables most of the Word backend's time; the XML here is the same (borders on the table,
fixed layout, narrow cell margins, merged two-level headers, styles by id) in one parse.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from .. import model
from ..text_width import display_width

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_WIDTH_TWIPS = 8845  # 15.6 cm: A4 less the default template's margins
CELL_MARGIN_TWIPS = 57  # 0.1 cm
BORDER_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")


def column_weights(table: model.TableModel) -> list[int]:
    """Relative column widths: amounts and codes never wrap, long names wrap past 16 characters' width."""
    weights = [6] * max(table.width, 1)
    for row in table.rows:
        for index, cell in enumerate(row[: len(weights)]):
            unbroken = cell.numeric or cell.text.isdigit()
            need = display_width(cell.text) + 3 if unbroken else min(display_width(cell.text), 16)
            weights[index] = max(weights[index], need)
    for index, cell in enumerate(table.header[-1][: len(weights)] if table.header else ()):
        weights[index] = max(weights[index], min(display_width(cell.text), 8))
    return weights


def column_widths(table: model.TableModel) -> list[int]:
    weights = column_weights(table)
    total = sum(weights)
    return [TEXT_WIDTH_TWIPS * weight // total for weight in weights]


def properties() -> str:
    borders = "".join(f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for edge in BORDER_EDGES)
    margins = "".join(f'<w:{edge} w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>' for edge in ("left", "right"))
    return (f'<w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders>'
            f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>')


def cell(text: str, style_id: str, width: int, span: int = 1, merge: str | None = None) -> str:
    """One cell: `merge` is 'restart' for the top of a vertically merged cell, '' for those under it."""
    grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    vertical = "" if merge is None else '<w:vMerge w:val="restart"/>' if merge else "<w:vMerge/>"
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{grid_span}{vertical}<w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>{run}</w:p></w:tc>')


def header_rows(table: model.TableModel, widths: list[int], style_id: str) -> list[str]:
    """The header, with a cell spanning two rows continued (vMerge) in the second."""
    continued: dict[int, int] = {}  # column -> width, of cells merged down from the row above
    rows = []
    for header_row in table.header:
        cells, column, below = [], 0, {}
        for spec in header_row:
            while column in continued:
                cells.append(cell("", style_id, continued[column], merge=""))
                column += 1
            width = sum(widths[column: column + spec.colspan])
            merge = "restart" if spec.rowspan > 1 else None
            cells.append(cell(spec.text, style_id, width, spec.colspan, merge))
            if spec.rowspan > 1:
                below[column] = width
            column += spec.colspan
        while column in continued:
            cells.append(cell("", style_id, continued[column], merge=""))
            column += 1
        continued = below
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return rows


def body_rows(table: model.TableModel, widths: list[int], style_ids: dict[str, str]) -> list[str]:
    rows = []
    for row in table.rows or ((),):
        values = list(row) + [model.TableCell("")] * (len(widths) - len(row))
        cells = [cell(value.text, style_ids["表格数字" if value.numeric else "表格文字"], width)
                 for value, width in zip(values, widths)]
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return rows


def table_xml(table: model.TableModel, style_ids: dict[str, str]) -> str:
    widths = column_widths(table)
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    rows = header_rows(table, widths, style_ids["表格表头"]) + body_rows(table, widths, style_ids)
    return f'<w:tbl xmlns:w="{W}">{properties()}<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
