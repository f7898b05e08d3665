"""Tables printed as text (copied from a web page or extracted from a PDF): a title, a 单位 line,
header words, then the cells — a row to a line ("208 社会保障和就业支出 471.44 460.67 10.77") or a
cell to a line. The reader only finds such a block and splits its lines into their words; which
word is which column is decided by the matcher, which knows the layout's table."""

from __future__ import annotations

import re
from typing import Optional

from .source import Place, SourceTable, clean

TITLE = re.compile(r"(表|公开\s*\d+\s*表)$")
UNIT = re.compile(r"^(金额)?单位\s*[:：]|\s(金额)?单位\s*[:：]")
NOTE = re.compile(r"^(注|说明)\s*\d*\s*[:：]")
PART = re.compile(r"^第[一二三四五六七八九十]+部分")
SECTION = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]).*(说明|情况|概况)$")
CAPTION_LINES = 4  # a title's 单位 line comes within this many lines (公开01表, 部门：…)
MAX_ROWS = 5000


def words(raw: str) -> tuple[str, ...]:
    return tuple(word for word in re.split(r"[\s\u3000\xa0]+", raw.strip()) if word)


def unit_line_after(lines: list[tuple[str, int]], index: int) -> Optional[int]:
    """The index of the 单位 line that makes line `index` a table's title, or None."""
    title = clean(lines[index][0])
    if len(title) > 40 or not TITLE.search(title) or re.search(r"[。，；]", title):
        return None
    for ahead in range(index + 1, min(index + 1 + CAPTION_LINES, len(lines))):
        text = clean(lines[ahead][0])
        if UNIT.search(text):
            return ahead
        if len(text) > 40 or re.search(r"[。，；]", text):
            return None
    return None


def ends_body(lines: list[tuple[str, int]], index: int) -> bool:
    text = clean(lines[index][0])
    return bool(NOTE.match(text) or PART.match(text) or SECTION.match(text) or text.endswith("。")
                or unit_line_after(lines, index) is not None)


def split_tables(lines: list[tuple[str, int]], shown: str) -> tuple[list[SourceTable], list[tuple[str, int]]]:
    """The tables printed as text among the lines (each line with its page), and the lines left
    for the prose."""
    tables, rest, index = [], [], 0
    while index < len(lines):
        unit = unit_line_after(lines, index)
        if unit is None:
            rest.append(lines[index])
            index += 1
            continue
        captions = tuple(clean(text) for text, _ in lines[index:unit + 1])
        body, index = [], unit + 1
        while index < len(lines) and len(body) < MAX_ROWS and not ends_body(lines, index):
            body.append(lines[index])
            index += 1
        notes = []
        while index < len(lines) and NOTE.match(clean(lines[index][0])):
            notes.append(clean(lines[index][0]))
            index += 1
        body = [line for position, line in enumerate(body) if not _folio(body, position)]
        page = lines[unit][1]
        tables.append(SourceTable(Place(shown, page), captions, tuple(words(text) for text, _ in body),
                                  tuple(line_page for _, line_page in body), tuple(notes), from_text=True))
    return tables, rest


def _folio(body: list[tuple[str, int]], position: int) -> bool:
    """A page number printed alone as the last line of a page."""
    last_of_page = position + 1 == len(body) or body[position + 1][1] != body[position][1]
    return last_of_page and bool(re.fullmatch(r"\s*\d{1,3}\s*", body[position][0]))
