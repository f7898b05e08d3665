"""What an import gives (the report's text, where each figure was printed, a summary, diagnostics),
and what it reads off a document's cover: the department, the year, the unit."""

from __future__ import annotations

import re
from typing import Optional

import attrs

from ..diagnostics import Diagnostic
from .located import Location, Stated
from .problems import problem
from .source import Disclosure


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
    prose_bound: int = 0  # figures of the prose bound to the layout's sentences
    prose_own: int = 0  # figures of the prose typed as the department's own published figures
    lists_stated: int = 0  # lists of items ("主要包括：…") stated

    def lines(self) -> list[str]:
        result = [f"tables: {len(self.tables_matched)} of the layout's found ({self.tables_found} in the file), "
                  f"{self.rows_read} rows read, {self.items} item values",
                  f"prose: {self.sentences_matched} of {self.sentences_read} sentences matched, "
                  f"{self.inputs_filled} inputs filled",
                  f"figures stated: {self.figures_stated}",
                  f"prose figures: {self.prose_bound + self.prose_own} read, {self.prose_bound} bound to the layout's "
                  f"sentences, {self.prose_own} typed as the department's own published figures; {self.lists_stated} lists of items"]
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


def unit_of(disclosure: Disclosure) -> Optional[str]:
    for table in disclosure.tables:
        for caption in table.captions:
            found = re.search(r"单位\s*[:：]\s*(万元|亿元|元)", caption)
            if found:
                return found.group(1)
    return None


def prose_unit(paragraphs) -> Optional[str]:
    """The unit most amounts of the prose are printed in, for a document with no table's 单位 line."""
    counts: dict[str, int] = {}
    for paragraph in paragraphs:
        for unit in re.findall(r"\d\s*(万元|亿元|元)", paragraph.text):
            counts[unit] = counts.get(unit, 0) + 1
    return max(sorted(counts), key=counts.get) if counts else None


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
    return problem("RD508", shown, f"the {what} is not printed where expected (cover, part titles, the workbook's title)",
                   f"give it: reportdsl import … --{what} …")
