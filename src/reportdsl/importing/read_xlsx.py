"""Excel reader (openpyxl): each sheet's used range as a table, merged cells repeated in every
position they cover. Numbers are taken from the cell's stored text in the sheet's XML, never
through a float, and padded to the decimals the cell's number format shows."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from typing import Optional
from xml.etree import ElementTree

from .problems import fail
from .ole import is_encrypted_office
from .source import Disclosure, Place, SourceTable, clean

MAX_CELLS = 200_000
CAPTION_CELL = re.compile(r"^(编制单位|(金额)?单位)\s*[:：]")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx(path: str, shown: str) -> Disclosure:
    import openpyxl

    if is_encrypted_office(path):
        raise fail("RD503", shown, "the Excel file is protected by a password and cannot be read",
                   "save an unprotected copy in Excel and import that")
    try:
        workbook = openpyxl.load_workbook(path, data_only=False)
        raw = raw_numbers(path, workbook)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ElementTree.ParseError) as exc:
        raise fail("RD501", shown, f"the file is not a readable Excel (.xlsx) file ({type(exc).__name__})",
                   "if Excel opens it, save it again as .xlsx and import that") from None
    tables = []
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        tables.extend(sheet_tables(sheet, raw.get(sheet.title, {}), shown))
    title = workbook.properties.title or ""
    cover = tuple(([title] if title else []) + [caption for table in tables[:1] for caption in table.captions])
    return Disclosure(shown, "xlsx", cover, tuple(tables), ())


def raw_numbers(path: str, workbook) -> dict[str, dict[str, tuple[Optional[str], bool]]]:
    """Sheet title -> cell reference -> (the stored text of its value, whether it holds a formula)."""
    with zipfile.ZipFile(path) as archive:
        names = _sheet_parts(archive)
        result = {}
        for title, part in names.items():
            cells = {}
            with archive.open(part) as stream:
                for _event, element in ElementTree.iterparse(stream):
                    if element.tag == MAIN + "c":
                        value = element.find(MAIN + "v")
                        formula = element.find(MAIN + "f") is not None
                        if element.get("t") in (None, "n") or formula:
                            cells[element.get("r")] = (value.text if value is not None else None, formula)
                        element.clear()
                    if len(cells) > MAX_CELLS:
                        raise ValueError("too many cells")
            result[title] = cells
    return result


def _sheet_parts(archive) -> dict[str, str]:
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for sheet in book.iter(MAIN + "sheet"):
        target = targets[sheet.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


def sheet_tables(sheet, raw: dict, shown: str) -> list[SourceTable]:
    """The sheet's rows: the leading rows with one text (title, unit) are captions, the rest the table."""
    merged = _merged_values(sheet)
    place = Place(shown, sheet=sheet.title)
    rows = []
    for row in sheet.iter_rows(max_row=min(sheet.max_row, 2000), max_col=min(sheet.max_column, 60)):
        rows.append(tuple(_cell_text(cell, raw, merged, shown, sheet.title) for cell in row))
    while rows and not any(rows[-1]):
        rows.pop()
    captions = []
    while rows and (sum(1 for text in dict.fromkeys(rows[0]) if text) <= 1 or _caption_line(rows[0])):
        texts = [text for text in dict.fromkeys(rows[0]) if text]
        if texts:
            captions.append(" ".join(texts))
        rows.pop(0)
    if not rows:
        return []
    notes = []
    while rows and sum(1 for text in dict.fromkeys(rows[-1]) if text) == 1 and re.match(r"^(注|说明)", next(t for t in rows[-1] if t)):
        notes.insert(0, next(t for t in rows[-1] if t))
        rows.pop()
    return [SourceTable(place, tuple(captions), tuple(rows), (None,) * len(rows), tuple(notes))]


def _caption_line(row: tuple) -> bool:
    """A row of a table's heading lines only: "编制单位：某局" on the left, "单位：万元" on the right."""
    texts = [text for text in row if text]
    return bool(texts) and all(CAPTION_CELL.match(text) for text in texts)


def _merged_values(sheet) -> dict[str, str]:
    """Every cell inside a merged range -> the reference of the range's top-left cell."""
    covered = {}
    for merged in sheet.merged_cells.ranges:
        origin = merged.start_cell.coordinate
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                covered[sheet.cell(row, column).coordinate] = origin
    return covered


def _cell_text(cell, raw: dict, merged: dict, shown: str, title: str) -> str:
    reference = merged.get(cell.coordinate, cell.coordinate)
    source = cell.parent[reference] if reference != cell.coordinate else cell
    if reference in raw:
        text, formula = raw[reference]
        if text is None and formula:
            raise fail("RD505", shown, f"sheet {title!r}, cell {reference}: a formula with no stored value",
                       "open the file in Excel (or LibreOffice) and save it, so that each formula's value is "
                       "stored; or export the values only")
        if text is None:
            return ""
        return _shown_decimals(text, source.number_format)
    value = source.value
    return clean(str(value)) if value is not None else ""


DOUBLE_DIGITS = 15  # any decimal of at most 15 significant digits survives a binary double unchanged


def without_binary_noise(value: Decimal) -> Decimal:
    """A spreadsheet keeps a number as a binary double and may write out all 17 digits of it
    (753.44000000000005 for 753.44): past the 15 digits a double holds exactly, the digits are the
    binary's, not the author's, so they are dropped — in Decimal, never through a float."""
    digits = value.as_tuple().digits
    if len(digits) <= DOUBLE_DIGITS or not value.is_finite():
        return value
    kept = value.adjusted() - DOUBLE_DIGITS + 1
    return value.quantize(Decimal(1).scaleb(kept)).normalize() if kept < 0 else value


def _shown_decimals(text: str, number_format: str) -> str:
    """The stored number as the cell shows it: padded to the decimals of its number format
    (0.00 shows 12.5 as 12.50), never rounded (an exact value keeps every decimal it has)."""
    value = without_binary_noise(Decimal(text))
    match = re.search(r"0\.(0+)", number_format or "")
    shown = len(match.group(1)) if match else 0
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals < shown:
        value = value.quantize(Decimal(1).scaleb(-shown))
    return format(value, "f")
