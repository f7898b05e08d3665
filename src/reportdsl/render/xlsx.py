"""Excel backend (openpyxl): the report's tables, one sheet each, as finance offices keep them.

Each sheet: the title, the unit line, the header with its merged cells, the rows, the notes. An
amount is written as the exact decimal it prints, with a number format showing its decimals;
openpyxl writes numbers through "%.16g", so a value that would not come back digit for digit
(more than 15 significant digits) is written as text instead. Bytes are deterministic: fixed
document properties and zip timestamps."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Optional

from ..model import Document, TableModel
from .docx_zip import normalize_zip

FIXED_TIME = datetime.datetime(2000, 1, 1)
SHEET_NAME_LIMIT = 31


def render_xlsx(document: Document) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    tables = [block for block in document.blocks if isinstance(block, TableModel)]
    for number, table in enumerate(tables, start=1):
        write_sheet(book.create_sheet(sheet_name(number, table.title)), table)
    if not tables:  # a workbook needs a sheet: say there is nothing, rather than fail (found by the fuzz step)
        book.create_sheet("表").append(["本报告没有表格"])
    book.properties.creator = document.department or "reportdsl"
    book.properties.title = document.title
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return normalize_zip(fixed_modified_time(buffer.getvalue()))


def fixed_modified_time(data: bytes) -> bytes:
    """openpyxl stamps the time of saving into docProps/core.xml; put the fixed time back."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)
            archive.writestr(info, content)
    return target.getvalue()


def sheet_name(number: int, title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "", title)
    return f"{number} {cleaned}"[:SHEET_NAME_LIMIT]


def write_sheet(sheet, table: TableModel) -> None:
    from openpyxl.styles import Alignment, Font

    width = max(1, table.width)
    sheet.append([table.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    left, right = table.above
    sheet.append([left] + [""] * (width - 2) + [right] if width > 1 else [left or right])
    first = 3
    write_header(sheet, table, first)
    row_number = first + len(table.header)
    for row in table.rows:
        for column, cell in enumerate(row, start=1):
            write_cell(sheet.cell(row_number, column), cell.text, cell.numeric)
        row_number += 1
    for note in table.notes:
        sheet.cell(row_number, 1, note)
        row_number += 1


def write_header(sheet, table: TableModel, first: int) -> None:
    """Header rows with each merged cell spanning what it spans in the document."""
    from openpyxl.styles import Alignment

    taken: set[tuple[int, int]] = set()
    for offset, header_row in enumerate(table.header):
        row = first + offset
        column = 1
        for cell in header_row:
            while (row, column) in taken:
                column += 1
            sheet.cell(row, column, cell.text).alignment = Alignment(horizontal="center", vertical="center",
                                                                   wrap_text=True)
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge_cells(start_row=row, start_column=column, end_row=row + cell.rowspan - 1,
                                  end_column=column + cell.colspan - 1)
            for r in range(row, row + cell.rowspan):
                for c in range(column, column + cell.colspan):
                    taken.add((r, c))
            column += cell.colspan


def write_cell(target, text: str, numeric: bool) -> None:
    value = exact_number(text) if numeric else None
    if value is None:
        target.value = text if text else None
        return
    target.value = value
    decimals = max(0, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 0
    target.number_format = "0." + "0" * decimals if decimals else "0"


def exact_number(text: str) -> Optional[Decimal]:
    """The cell's amount as a Decimal, if Excel's file will hold exactly that (else None: text)."""
    cleaned = text.replace(",", "").strip()
    percent = cleaned.endswith("%")
    try:
        value = Decimal(cleaned.rstrip("%"))
    except InvalidOperation:
        return None
    if percent or not value.is_finite():
        return None
    return value if Decimal("%.16g" % value) == value else None
