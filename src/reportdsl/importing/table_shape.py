"""Tables as other hands lay them out, brought to the one shape the matcher reads: a title or 单位
line printed in a table's own first rows is a caption; a page's table that goes on from the page
before drops the header it repeats, and a row Word broke over the page break is joined again."""

from __future__ import annotations

import re

from .source import SourceTable, amount_of

# A cell that is a caption, not a column's header: a title ending in 表 (with its numbering or the
# department before it), a numbering alone (公开01表, 附表1, 表一), or a 单位 line (单位：万元, 编制单位：…).
CAPTION_CELL = re.compile(r"表$|^(公开\s*\d+\s*表|附表\s*\d+|表\s*[一二三四五六七八九十\d]+)|单位\s*[:：]")
NUMBERED_LABEL = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
CODE = re.compile(r"^\d{3,}$")


def lift_captions(rows: list[tuple[str, ...]]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The table's leading rows that print only captions (a title merged across the table, a 单位
    row), as caption lines, and the rows left."""
    captions: list[str] = []
    while rows and max(len(row) for row in rows) > 1:
        texts = list(dict.fromkeys(cell for cell in rows[0] if cell))
        if not texts or not all(CAPTION_CELL.search(text) for text in texts):
            break
        captions.extend(texts)
        rows = rows[1:]
    return tuple(captions), rows


CONTINUED = re.compile(r"[（(]?续表?[)）]?\s*[:：]?\s*\d*$|[（(]续[)）]$")  # 续表, （续）, 续表1, a title ending （续）
NOT_A_TITLE = re.compile(r"^(单位|金额单位|编制单位)\s*[:：]|^[\d\s/第页\-—]+$")


def continues(previous: SourceTable, rows: list[tuple[str, ...]], captions: tuple[str, ...]) -> bool:
    """A table that goes on from the one before it: as many columns, and no title above it of its own
    (none, a 单位 line, a page number, 续表, or the title before it with （续）)."""
    if not rows or len(rows[0]) != previous.width:
        return False
    return all(not caption or NOT_A_TITLE.search(caption) or CONTINUED.search(caption) for caption in captions)


def continued(previous: SourceTable, rows: list[tuple[str, ...]], page, broken_rows: bool = True) -> SourceTable:
    """The table before with the rows of its next part (page, or Word table) added; `broken_rows`: a
    row may run over from the part before (a PDF page; never a Word table set again)."""
    rows, joined = continued_rows(previous.rows, rows, broken_rows)
    earlier = previous.rows if joined is None else previous.rows[:-1] + (joined,)
    return SourceTable(previous.place, previous.captions, earlier + tuple(rows),
                       previous.row_pages + (page,) * len(rows), previous.notes)


def continued_rows(previous: tuple[tuple[str, ...], ...], rows: list[tuple[str, ...]],
                   broken_rows: bool = True) -> tuple[list, tuple[str, ...] | None]:
    """The rows of a table's next page that go on from `previous`: without the header rows it repeats,
    and with the first row, when it is the rest of a row broken over the page break, given back
    joined to the last row before it (second value; None when there is none)."""
    header = header_columns(previous)
    while rows and header and repeats_header(rows[0], header):
        rows = rows[1:]
    if broken_rows and rows and previous and is_rest_of_row(previous[-1], rows[0]):
        joined = tuple(a + b for a, b in zip(previous[-1], rows[0]))
        return rows[1:], joined
    return rows, None


def header_columns(rows) -> list[set[str]]:
    """Each column's header words: the words of the table's leading rows, which print no amount or code."""
    columns: list[set[str]] = [set() for _ in range(max((len(row) for row in rows), default=0))]
    for row in rows:
        if any(amount_of(cell) is not None or CODE.match(cell) for cell in row):
            break
        for j, cell in enumerate(row):
            if cell:
                columns[j].add(cell)
    return columns if any(columns) else []


def repeats_header(row: tuple[str, ...], header: list[set[str]]) -> bool:
    """A row of the table's header words printed again at the top of a page, each maybe cut to the
    first line of its cell ("本年收" of 本年收入合计)."""
    if len(row) != len(header) or not any(row):
        return False
    return all(not cell or any(cell in words for words in header[j]) for j, cell in enumerate(row))


def is_rest_of_row(last: tuple[str, ...], first: tuple[str, ...]) -> bool:
    """Words only, each below words of the row before ("环境保" | "护法规、规划及标准"): no code, no
    amount, no numbering of a row of its own ("二、外交支出" with a blank figure is a row)."""
    if len(last) != len(first) or not any(first):
        return False
    for above, cell in zip(last, first):
        if not cell:
            continue
        if CODE.match(above) and cell.isdigit() and len(above + cell) <= 7:
            continue  # a code broken over the page break: 21101 | 05
        if amount_of(cell) is not None or CODE.match(cell) or NUMBERED_LABEL.match(cell) or cell in ("合计", "总计"):
            return False
        if not above or amount_of(above) is not None or CODE.match(above):
            return False
    return True
