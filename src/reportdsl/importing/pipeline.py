"""import_document: read a foreign file, match it to a layout, write the report's text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import attrs

from ..diagnostics import Diagnostic
from .located import Location, Stated, TreeData
from .problems import UnreadableDocument, fail
from .source import Disclosure

READERS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".txt": "text", ".md": "text"}
UNITS = ("万元", "亿元", "元")


@attrs.frozen
class Summary:
    tables_found: int
    tables_matched: tuple[str, ...]
    rows_read: int
    items: int
    sentences_matched: int
    sentences_read: int
    figures_stated: int
    inputs_filled: int
    unread: tuple[str, ...]  # what could not be read, and where

    def lines(self) -> list[str]:
        result = [f"tables: {len(self.tables_matched)} of the layout's found ({self.tables_found} in the file), "
                  f"{self.rows_read} rows read, {self.items} item values",
                  f"prose: {self.sentences_matched} of {self.sentences_read} sentences matched, "
                  f"{self.inputs_filled} inputs filled",
                  f"figures stated: {self.figures_stated}"]
        result += [f"not read: {text}" for text in self.unread]
        return result


@attrs.frozen
class ImportResult:
    """The report's text, where each figure of it was printed, the summary and the diagnostics.
    `text` is None when the file could not be imported (the diagnostics say why)."""

    text: Optional[str]
    locations: tuple[tuple[str, Location], ...]  # (the figure in the report, e.g. "gpb[208].决算", where printed)
    stated: tuple[Stated, ...]
    summary: Optional[Summary]
    diagnostics: tuple[Diagnostic, ...]
    disclosure: Optional[Disclosure] = attrs.field(default=None, eq=False)

    @property
    def ok(self) -> bool:
        return self.text is not None


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


def build(disclosure: Disclosure, layout_name: str, shown: str, department=None, year=None) -> ImportResult:
    from .assemble import assemble

    return assemble(disclosure, layout_name, shown, department, year)


def unit_of(disclosure: Disclosure) -> Optional[str]:
    for table in disclosure.tables:
        for caption in table.captions:
            found = re.search(r"单位\s*[:：]\s*(万元|亿元|元)", caption)
            if found:
                return found.group(1)
    return None


def department_and_year(disclosure: Disclosure) -> tuple[Optional[str], Optional[int]]:
    lines = list(disclosure.cover) + [p.text for p in disclosure.paragraphs[:60]]
    joined = "".join(lines[:4])
    found = re.search(r"^(.+?)\s*(20\d\d)\s*年度?\s*部门决算", re.sub(r"\s+", "", joined))
    if found:
        return found.group(1), int(found.group(2))
    department = year = None
    for line in lines:
        text = re.sub(r"\s+", "", line)
        if department is None:
            named = re.match(r"^第一部分(.+?)(概况|基本情况)$", text)
            department = named.group(1) if named else None
        if year is None:
            dated = re.search(r"(20\d\d)年度?部门决算", text)
            year = int(dated.group(1)) if dated else None
    return department, year


def missing_header(shown: str, what: str) -> Diagnostic:
    from .problems import problem

    return problem("RD508", shown, f"the {what} is not printed where expected (cover, part titles, the workbook's title)",
                   f"give it: reportdsl import … --{what} …")


__all__ = ["ImportResult", "import_document", "TreeData"]
