"""What a published document shows on its face, beyond its figures: the wording of each paragraph
(RD540 doubled words, RD541 budget comparisons without a reason, RD403 template leftovers), the layout's standard tables that
are missing (RD542), an amount unit that differs between tables or between a table and the text
(RD543), and a department or year that differs between the cover, the table headers and the text
(RD544). Each is located at its page, table or sentence."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import Iterator, Optional

from ..importing.located import Location
from ..importing.source import Disclosure, SourceTable, amount_of
from ..wording import wording_problems
from .locate import Finding
from .paragraphs import paragraph_places, sentence_place

UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")
TITLE_YEAR = re.compile(r"(20\d\d)\s*年度?\s*(?:部门)?决算")
AMOUNT_IN_YUAN = re.compile(r"(?<![\d.])(\d[\d,]*\.\d{2})\s*元")


def finding(code: str, severity: str, message: str, place: Location, help_text: str,
            printed: Optional[str] = None, expected: Optional[str] = None) -> Finding:
    return Finding(code, severity, message, (help_text,), (place,), printed, expected, (), None, None)


def document_findings(disclosure: Disclosure, matched_titles: tuple[str, ...], standard_titles: tuple[str, ...],
                      department: Optional[str], year: Optional[int]) -> list[Finding]:
    return [*wording_findings(disclosure), *missing_tables(disclosure, matched_titles, standard_titles),
            *unit_findings(disclosure), *header_findings(disclosure, department, year)]


def table_title(table: SourceTable) -> Optional[str]:
    titled = [c for c in table.captions if not UNIT_LINE.search(c) and c.endswith("表")]
    return titled[-1] if titled else (table.captions[-1] if table.captions else None)


def wording_findings(disclosure: Disclosure) -> Iterator[Finding]:
    from ..leftovers import find_leftovers

    for text, place in paragraph_places(disclosure):
        for problem in wording_problems(text):
            yield finding(problem.code, "warning", problem.message,
                          sentence_place(text, place, problem.start, problem.end), problem.help)
        for start, end, found, meaning in find_leftovers(text):
            yield finding("RD403", "error", f"template leftover in the published text: '{found}'",
                          sentence_place(text, place, start, end), meaning)


def missing_tables(disclosure: Disclosure, matched: tuple[str, ...], standard: tuple[str, ...]) -> Iterator[Finding]:
    squeezed = ["".join(title.split()) for title in matched]
    for title in standard:
        if not any("".join(title.split()) in found for found in squeezed):
            yield finding("RD542", "error", f"the standard table '{title}' is not in the document",
                          Location(disclosure.path), "every standard table is published, an empty one with its "
                          "说明 (本表无数据)")


def unit_findings(disclosure: Disclosure) -> Iterator[Finding]:
    units = [(table, UNIT_LINE.search(" ".join(table.captions))) for table in disclosure.tables]
    counted = Counter(found.group(1) for _, found in units if found)
    if not counted:
        return
    usual = counted.most_common(1)[0][0]
    for table, found in units:
        if found and found.group(1) != usual:
            yield finding("RD543", "error", f"the table is in {found.group(1)}, the other tables in {usual}",
                          Location(disclosure.path, table.place.page, table.place.sheet, table_title(table)),
                          f"write 单位：{usual}, or convert the table's figures")
    yield from yuan_in_text(disclosure, usual)


def table_amounts(disclosure: Disclosure) -> set[Decimal]:
    return {amount for table in disclosure.tables for row in table.rows for text in row
            for amount in [amount_of(text)] if amount is not None and amount != 0}


def yuan_in_text(disclosure: Disclosure, usual: str) -> Iterator[Finding]:
    """A figure of the tables written with 元 in the text, while the tables are in 万元 (or 亿元)."""
    if usual == "元":
        return
    printed = table_amounts(disclosure)
    for text, place in paragraph_places(disclosure):
        for found in AMOUNT_IN_YUAN.finditer(text):
            if amount_of(found.group(1)) in printed:
                yield finding("RD543", "error", f"{found.group(0)}: the tables print this figure in {usual}",
                              sentence_place(text, place, found.start(), found.end()), f"write {found.group(1)} {usual}",
                              found.group(0), f"{found.group(1)} {usual}")


def header_findings(disclosure: Disclosure, department: Optional[str], year: Optional[int]) -> Iterator[Finding]:
    """A '20XX 年度部门决算' in a table's caption or a heading for another year than the cover's; a
    caption naming another department than the cover."""
    for place, text in header_texts(disclosure):
        for found in TITLE_YEAR.finditer(text):
            if year is not None and int(found.group(1)) != year:
                start = found.start(1)
                yield finding("RD544", "error", f"'{found.group(0)}' names {found.group(1)}, the cover {year}",
                              sentence_place(text, place, start, start + 4) if place.sentence else place,
                              f"the disclosure is for {year}", found.group(1), str(year))
        if department:
            yield from department_differs(place, text, department)


# Where a line names the department: 编制单位：X (over a table, "编制单位：某局 单位：万元" read as one line);
# a title line: 第一部分 X概况, (第二部分) X 2024 年度部门决算(表)
UNIT_LINE_NAME = re.compile(r"^(?:编制单位|单位名称|部门)\s*[:：]\s*(\S+?)(?=\s|(?:金额)?单位\s*[:：]|$)")
TITLE_NAME = (re.compile(r"(?P<name>.+?)(?:概况|基本情况)"),
              re.compile(r"(?P<name>.+?)20\d\d年度?部门决算(?:表|情况说明|情况|公开)?"))
PART_NUMBER = re.compile(r"^第[一二三四五六七八九十]+部分")


def department_differs(place: Location, text: str, department: str) -> Iterator[Finding]:
    cover = "".join(department.split())
    named = UNIT_LINE_NAME.match(text)
    if named:
        if "".join(named.group(1).split()) != cover:
            yield differs(place, text, named.group(1), department)
        return
    name = title_name(text)
    if name and not cover.endswith(name):
        yield differs(place, text, name, department)


def title_name(text: str) -> Optional[str]:
    """The department a title line names. A name that is the end of the cover's is the cover's (the
    cover broken over lines: 社会工作部 2024 年度部门决算)."""
    squeezed = PART_NUMBER.sub("", "".join(text.split()).rstrip("0123456789.…"))
    for pattern in TITLE_NAME:
        named = pattern.fullmatch(squeezed)
        if named:
            return named.group("name")
    return None


def differs(place: Location, text: str, name: str, department: str) -> Finding:
    found = text.find(name[:2])
    at = sentence_place(text, place, found, found + len(name)) if place.sentence and found >= 0 else place
    return finding("RD544", "error", f"'{name}' differs from the cover's department '{department}'", at,
                   "write the department's name as on the cover", name, department)


def header_texts(disclosure: Disclosure) -> Iterator[tuple[Location, str]]:
    """Title lines and headings (not the prose comparing with last year), then the captions of tables
    that are not also paragraphs (a Word caption is one)."""
    seen = set()
    for text, place in paragraph_places(disclosure):
        if len(text) <= 60:
            seen.add(text)
            yield place, text
    for table in disclosure.tables:
        for caption in table.captions:
            if caption not in seen:
                yield Location(disclosure.path, table.place.page, table.place.sheet, table_title(table)), caption
