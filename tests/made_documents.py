"""Test documents made from our own reports: compiled to Word (and PDF through LibreOffice), then
one printed figure or word changed, as a careless hand would change it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def compile_report(report: str, target: str, folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "reportdsl", "compile", report, "--to", target, "--no-charts",
                    "-o", str(folder)], check=True, capture_output=True)
    return folder / f"{Path(report).stem}.{target}"


def tables_after_titles(document):
    """(title paragraphs just above, table) for each table of a Word document, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    above, found = [], []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            above.append(Paragraph(element, document).text)
        elif tag == "tbl":
            found.append((" ".join(above[-3:]), Table(element, document)))
            above = []
    return found


def set_text(cell, text: str) -> None:
    """The cell's text replaced, keeping the first run's formatting."""
    runs = [run for paragraph in cell.paragraphs for run in paragraph.runs]
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def change_cell(source: Path, target: Path, title: str, row: str, old: str, new: str) -> None:
    """In the table titled `title`, the row whose cells include `row`: the cell printing `old` now prints `new`."""
    import docx

    document = docx.Document(str(source))
    for above, table in tables_after_titles(document):
        if title not in above:
            continue
        for table_row in table.rows:
            texts = [cell.text for cell in table_row.cells]
            if row in texts and old in texts:
                set_text(table_row.cells[texts.index(old)], new)
                document.save(str(target))
                return
    raise AssertionError(f"no cell {old!r} in row {row!r} of {title!r}")


def change_words(source: Path, target: Path, old: str, new: str, nth: int = 0) -> None:
    """The nth paragraph printing `old` (the first by default) prints `new` there instead (runs joined first)."""
    import docx

    document = docx.Document(str(source))
    found = [paragraph for paragraph in document.paragraphs if old in paragraph.text]
    for paragraph in found[nth:nth + 1]:
        if old in paragraph.text:
            text = paragraph.text.replace(old, new, 1)
            runs = paragraph.runs
            runs[0].text = text
            for run in runs[1:]:
                run.text = ""
            document.save(str(target))
            return
    raise AssertionError(f"no paragraph prints {old!r}")


def to_pdf_all(docx_paths: list[Path], folder: Path, names: list[str]) -> dict[str, Path]:
    """Word files converted by one LibreOffice run (its start-up is most of the cost), with a private profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(folder), *map(str, docx_paths)], check=True, capture_output=True, timeout=600)
    return {name: folder / (path.stem + ".pdf") for name, path in zip(names, docx_paths)}


def drop_table(source: Path, target: Path, title: str) -> None:
    """The table titled `title` left out, with its title, unit line and note."""
    import docx

    document = docx.Document(str(source))
    for above, table in tables_after_titles(document):
        if title in above:
            element = table._element
            previous = element.getprevious()
            while previous is not None and previous.tag.endswith("}p") and "表" not in "".join(previous.itertext()):
                previous.getparent().remove(previous)
                previous = element.getprevious()
            if previous is not None and previous.tag.endswith("}p"):
                previous.getparent().remove(previous)
            element.getparent().remove(element)
            document.save(str(target))
            return
    raise AssertionError(f"no table titled {title!r}")


def can_compile_to(target: str) -> bool:
    done = subprocess.run([sys.executable, "-m", "reportdsl", "compile", "--help"], capture_output=True, text=True)
    return target in done.stdout


def change_xlsx_cell(source: Path, target: Path, title: str, row: str, old: str, new: str) -> None:
    """In the sheet of the table titled `title`, the row holding `row`: the cell printing `old` now holds `new`
    (a number stays a number: the exact decimal)."""
    from decimal import Decimal

    import openpyxl

    book = openpyxl.load_workbook(str(source))
    for sheet in book.worksheets:
        if title not in sheet.title and not any(title == str(c.value) for r in sheet.iter_rows(max_row=3) for c in r):
            continue
        for cells in sheet.iter_rows():
            texts = ["" if c.value is None else str(c.value) for c in cells]
            shown = [t if not isinstance(c.value, (int, float, Decimal)) else f"{Decimal(str(c.value)):.2f}"
                     for t, c in zip(texts, cells)]
            if row in texts and old in shown:
                cell = cells[shown.index(old)]
                cell.value = Decimal(new) if isinstance(cell.value, (int, float, Decimal)) else new
                book.save(str(target))
                return
    raise AssertionError(f"no cell {old!r} in row {row!r} of {title!r}")


def drop_sheet(source: Path, target: Path, title: str) -> None:
    """The sheet of the table titled `title` left out of the workbook."""
    import openpyxl

    book = openpyxl.load_workbook(str(source))
    (sheet,) = [sheet for sheet in book.worksheets if title in sheet.title]
    book.remove(sheet)
    book.save(str(target))
