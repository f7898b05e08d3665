"""The neutral model every reader produces: tables and paragraphs with their places in the file.

A reader knows one file format and nothing of reports; the matcher reads only these types.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional

import attrs


@attrs.frozen
class Place:
    """Where something is printed: the file, and its page (PDF), sheet (Excel) or paragraph number."""

    file: str
    page: Optional[int] = None
    sheet: Optional[str] = None

    def describe(self) -> str:
        where = [self.file]
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        return ", ".join(where)


@attrs.frozen
class SourceTable:
    """A table as printed: the caption lines above it (title, unit line), its rows of cell texts
    (merged cells repeated in every position they cover) and the page of each row."""

    place: Place
    captions: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_pages: tuple[Optional[int], ...]
    notes: tuple[str, ...] = ()
    from_text: bool = False  # rows are the words of each printed line, not cells (text_tables)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({page for page in self.row_pages if page is not None}))


@attrs.frozen
class SourceParagraph:
    """A paragraph as printed; one running over a page break (PDF) keeps where each later page's
    text begins in it, (offset, page), so that a figure is placed on the page it is printed on."""

    text: str
    place: Place
    is_heading: bool = False
    page_starts: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> Optional[int]:
        page = self.place.page
        for start, later in self.page_starts:
            if offset >= start:
                page = later
        return page


@attrs.frozen
class Disclosure:
    """What a reader found in a file, in document order."""

    path: str
    kind: str  # docx | pdf | xlsx | text
    cover: tuple[str, ...]  # the first lines: title, department, year
    tables: tuple[SourceTable, ...]
    paragraphs: tuple[SourceParagraph, ...]


# ---- cell text --------------------------------------------------------------------------------

# A row's number before a name, in a list printed as text ("2 上海市××中心" under 序号 | 单位名称): never a
# count, which a unit follows ("4 辆", "2 批次")
ROW_NUMBER = r"\d{1,2}\s+(?=[\u4e00-\u9fff])(?![万亿元个人辆批次台场分项家年月日天名位户件篇期])"
UNKNOWN = "?"  # a cell printed with a figure that cannot be put in its column: asked for, never read as blank
BLANK_MARKS = {"", "-", "—", "－", "--", "——", "/"}
_AMOUNT = re.compile(r"^[-−]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-−]?\d+(\.\d+)?$")


_SPACE = re.compile(r"[\s\u3000\xa0]")


def clean(text: Optional[str]) -> str:
    """A cell's or line's text with its line breaks and spaces between CJK characters removed."""
    if text is None:
        return ""
    if not _SPACE.search(text):
        return text  # most cells: a code, a figure or a name without a space
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    text = re.sub(r"\s*\n\s*", "", text.strip())
    text = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text)
    return re.sub(r"\s+", " ", text)


HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
TOC_LINE = re.compile(r"[.．·…]{4,}\s*\d*\s*$")  # a 目录 line: dot leaders and a page number
AMOUNT_PRINTED = re.compile(r"\d\s*(万元|亿元|元|%|％)")


# a heading of the fourth level: a number and a few words alone on a line ("2.完成的绩效目标")
SHORT_NUMBERED = re.compile(r"^\d{1,2}[.．、]\s*[\u4e00-\u9fff]{2,12}$")


def is_heading(text: str) -> bool:
    """A numbered short line that states no amount ("（一）教育支出 5,806,105.16 元，占" begins a paragraph);
    never a 目录 line ("九、国有资本经营预算财政拨款收入支出决算表……16")."""
    if TOC_LINE.search(text):
        return False
    if SHORT_NUMBERED.match(text):
        return True
    ended = text.endswith("。") and (len(text) > 25 or "，" in text)  # "（三）绩效评价结果应用情况。" is a heading
    return bool(HEADING.match(text)) and len(text) <= 40 and not ended and not AMOUNT_PRINTED.search(text)


_HALF_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？"})
_HALF_COMMA = re.compile(r",(?!\d{3}(?!\d))|(?<!\d),")  # a comma that is not a thousands separator


def prose_text(text: Optional[str]) -> str:
    """A line of prose as `clean` leaves it; a line of Chinese with no Chinese comma, printed in half-width
    punctuation (as some PDF extractions and web copies print it), made full-width, one character for one, so that its sentences
    and clauses are read as any other's."""
    text = clean(text)
    if "，" in text or not re.search(r"[\u4e00-\u9fff]", text):
        return text  # a line in Chinese punctuation keeps its few half-width marks as printed: 出国(境)
    return full_width(text)


def full_width(text: str) -> str:
    """Half-width punctuation made full-width, one character for one (thousands separators kept)."""
    return _HALF_COMMA.sub("，", text.translate(_HALF_WIDTH))


def amount_of(text: str) -> Optional[Decimal]:
    """The exact decimal a cell prints (thousands separators allowed), or None for any other text."""
    text = text.strip().replace("−", "-")
    if not _AMOUNT.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def is_blank(text: str) -> bool:
    return text.strip() in BLANK_MARKS
