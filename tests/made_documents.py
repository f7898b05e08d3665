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


def change_words(source: Path, target: Path, old: str, new: str) -> None:
    """The first paragraph printing `old` prints `new` there instead (runs joined first)."""
    import docx

    document = docx.Document(str(source))
    for paragraph in document.paragraphs:
        if old in paragraph.text:
            text = paragraph.text.replace(old, new, 1)
            runs = paragraph.runs
            runs[0].text = text
            for run in runs[1:]:
                run.text = ""
            document.save(str(target))
            return
    raise AssertionError(f"no paragraph prints {old!r}")


def to_pdf(docx_path: Path, folder: Path) -> Path:
    """The Word file converted by LibreOffice, as `compile --to pdf` does."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(docx_path)], check=True, capture_output=True, timeout=180)
    return folder / (docx_path.stem + ".pdf")
