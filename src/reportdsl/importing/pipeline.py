"""import_document: read a foreign file, match it to a layout, write the report's text."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .assemble import assemble
from .located import TreeData
from .outcome import ImportResult
from .problems import UnreadableDocument, fail
from .source import Disclosure

READERS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".txt": "text", ".md": "text"}


def read_document(path: str, shown: Optional[str] = None) -> Disclosure:
    shown = shown or path
    kind = READERS.get(Path(path).suffix.lower())
    if kind is None:
        raise fail("RD501", shown, f"cannot import a {Path(path).suffix or 'file without extension'}",
                   "import a .docx, .pdf, .xlsx, .txt or .md file")
    if not Path(path).is_file():
        raise fail("RD501", shown, "no such file")
    if kind == "pdf":
        from .read_pdf import read_pdf
        return read_pdf(path, shown)
    if kind == "docx":
        from .read_docx import read_docx
        return read_docx(path, shown)
    if kind == "xlsx":
        from .read_xlsx import read_xlsx
        return read_xlsx(path, shown)
    from .read_text import read_text
    return read_text(path, shown)


def import_document(path: str, layout: str, shown: Optional[str] = None, department: Optional[str] = None,
                    year: Optional[int] = None) -> ImportResult:
    """Never raises for a bad file: a failed import is a result with no text and its diagnostics.
    `department` and `year` stand in for a file that does not print them (an Excel export)."""
    shown = shown or path
    try:
        disclosure = read_document(path, shown)
        return build(disclosure, layout, shown, department, year)
    except UnreadableDocument as failure:
        return ImportResult(None, (), (), None, tuple(failure.diagnostics))
    except RecursionError:
        return ImportResult(None, (), (), None, (fail("RD510", shown, "the file is nested too deeply to read").diagnostics[0],))
    except Exception as error:  # a fault of ours, said as one: never a traceback, nothing written
        return ImportResult(None, (), (), None, (fail(
            "RD509", shown, f"the importer failed on this file ({type(error).__name__}: {error})",
            "this is a bug in the importer; please report it with the file").diagnostics[0],))


def build(disclosure: Disclosure, layout_name: str, shown: str, department=None, year=None) -> ImportResult:
    return assemble(disclosure, layout_name, shown, department, year)


__all__ = ["ImportResult", "import_document", "TreeData"]
