"""import_document: read a foreign file, match it to a layout, write the report's text."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from .assemble import assemble
from .located import TreeData
from .ole import is_password_protected, legacy_format
from .outcome import ImportResult
from .problems import UnreadableDocument, fail
from .source import Disclosure

READERS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".txt": "text", ".md": "text"}
# Older and other office formats, read once LibreOffice has saved them as what READERS reads.
CONVERTED = {".doc": "docx", ".rtf": "docx", ".odt": "docx", ".wps": "docx", ".xls": "xlsx", ".ods": "xlsx", ".et": "xlsx"}
MAX_CONVERTED_BYTES = 50_000_000
CONVERT_SECONDS = 120
KNOWN = ", ".join(list(READERS) + list(CONVERTED))


def read_document(path: str, shown: Optional[str] = None) -> Disclosure:
    shown = shown or path
    suffix = Path(path).suffix.lower()
    kind = READERS.get(suffix)
    if kind is None and suffix not in CONVERTED:
        raise fail("RD501", shown, f"cannot import a {Path(path).suffix or 'file without extension'}",
                   f"import one of: {KNOWN}")
    if not Path(path).is_file():
        raise fail("RD501", shown, "no such file")
    target = legacy_format(path) if kind in ("docx", "xlsx", None) else None
    if suffix in CONVERTED or target is not None:
        return read_converted(path, shown, target or CONVERTED[suffix])
    return read_as(kind, path, shown)


def read_as(kind: str, path: str, shown: str) -> Disclosure:
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


def read_converted(path: str, shown: str, target: str) -> Disclosure:
    """A .doc, .xls … saved by LibreOffice as .docx or .xlsx in a throwaway folder, then read as that;
    every place the reader names is in the file the user gave."""
    import tempfile

    from .. import office

    if Path(path).stat().st_size > MAX_CONVERTED_BYTES:
        raise fail("RD510", shown, f"the file is larger than {MAX_CONVERTED_BYTES // 1_000_000} MB: not a disclosure")
    if is_password_protected(path):
        raise fail("RD503", shown, "the file is protected by a password and cannot be read",
                   "save an unprotected copy and import that")
    try:
        data = office.convert(Path(path).read_bytes(), f"document{Path(path).suffix.lower() or '.doc'}", target,
                              missing=f"reading a {Path(path).suffix or 'Word 97'} file needs LibreOffice",
                              timeout=CONVERT_SECONDS)
    except office.OfficeError as error:
        raise fail("RD501", shown, str(error), f"save the file as .{target} and import that") from None
    with tempfile.TemporaryDirectory(prefix="reportdsl-import-") as work:
        converted = Path(work, f"document.{target}")
        converted.write_bytes(data)
        return read_as(target, str(converted), shown)


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
