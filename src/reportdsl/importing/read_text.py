"""Plain text or Markdown: the narrative, one paragraph per line (or per Markdown paragraph), and the
tables printed as text (text_tables); a "<!-- page N -->" or form-feed marks a page break."""

from __future__ import annotations

import re

from .problems import fail
from .source import ROW_NUMBER, Disclosure, Place, SourceParagraph, is_heading, prose_text
from .text_tables import split_tables

MAX_BYTES = 20_000_000
WRAPPED = 18  # a line this long that does not end a sentence was wrapped by the text's maker


# "1、", "2." and "（3）", and the numbers of a second level, "1.1、" or "1.2推进…" (never "1.5 万元")
NUMBERED_LINE = re.compile(r"^(\d{1,2}[、．.](?!\d)|\d{1,2}[.．]\d{1,2}(?=[、\u4e00-\u9fff])(?!\d*\s*[万亿元%个人辆批次台场分项家名位户件篇])"
                           r"|[（(][一二三四五六七八九十\d]+[)）])|^" + ROW_NUMBER)


def continues(previous: SourceParagraph, line: str) -> bool:
    """Text extracted from a PDF keeps the lines of the page: a line continues the paragraph before
    it unless that one ended a sentence on a short line, or is a heading, or this one is numbered."""
    if previous.is_heading or NUMBERED_LINE.match(line):
        return False
    text = previous.text
    return not text.endswith(("。", "：", ":", "！", "？")) or len(text) % 40 >= WRAPPED and not text.endswith("。")


def joined(text: str, line: str) -> str:
    """A wrapped line joined to the one before; two figures that met at the break stay apart."""
    if text[-1:].isascii() and text[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
        return f"{text} {line}"
    return text + line


def read_text(path: str, shown: str) -> Disclosure:
    with open(path, "rb") as stream:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise fail("RD510", shown, f"the text file is larger than {MAX_BYTES // 1_000_000} MB: not a disclosure")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise fail("RD501", shown, "the text file is neither UTF-8 nor GB18030", "save it as UTF-8") from None
    tables, lines = split_tables(page_lines(text), shown)
    paragraphs = []
    for line, page in lines:
        if re.fullmatch(r"\s*\d{1,3}\s*", line):
            continue  # a page number printed alone on its line (text copied from a PDF), not prose

        stripped = prose_text(re.sub(r"^#+\s*", "", line))
        if not stripped or re.fullmatch(r"[-|: ]+", stripped):
            continue
        heading = line.lstrip().startswith("#") or is_heading(stripped)
        if not heading and paragraphs and continues(paragraphs[-1], stripped):
            last = paragraphs[-1]
            text = joined(last.text, stripped)
            on = last.page_starts[-1][1] if last.page_starts else last.place.page
            starts = last.page_starts + (((len(text) - len(stripped), page),) if page != on else ())
            paragraphs[-1] = SourceParagraph(text, last.place, False, starts)  # a figure on the page it is printed on
            continue
        paragraphs.append(SourceParagraph(stripped, Place(shown, page), heading))
    cover = tuple(p.text for p in paragraphs[:4])
    return Disclosure(shown, "text", cover, tuple(tables), tuple(paragraphs))


def page_lines(text: str) -> list[tuple[str, int]]:
    """Each line with its page: a form feed or "<!-- page N -->" begins the next page."""
    found, page = [], 1
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\f" in line or re.match(r"^\s*<!--\s*page\s+\d+\s*-->\s*$", line):
            page += 1
            continue
        found.append((line, page))
    return found
