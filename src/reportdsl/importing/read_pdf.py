"""PDF reader (pdfplumber): ruled tables with merged cells resolved by their boxes, the caption
lines above each table, a table continued on the next page joined to it, and the text outside the
tables as paragraphs with their page numbers."""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple, Optional

import attrs

from .problems import fail
from .table_shape import CAPTION_CELL, continued, continues, lift_captions
from .source import (AMOUNT_PRINTED, HEADING, TOC_LINE, Disclosure, Place, SourceParagraph, SourceTable, clean, is_heading,
                     prose_text)

MAX_PAGES = 400
LIST_ITEM = re.compile(r"^\d{1,2}[、．.]\D")
NUMBERED = re.compile(r"^(\d{1,2}[、．.](?!\d)|[（(]\d{1,2}[)）])")
SUBSET = re.compile(r"^[A-Z]{6}\+")  # the tag an embedded font subset's name begins with
HAN = re.compile(r"[\u4e00-\u9fff]")


class ProseLine(NamedTuple):
    """A line of text outside the tables: whether it begins a paragraph, whether it stops short of the
    right margin, and how many of its Chinese characters each font face prints."""

    paragraph: SourceParagraph
    starts: bool
    short: bool
    faces: tuple[tuple[str, int], ...]
    room: float = 0.0  # the width left before the right margin


def read_pdf(path: str, shown: str) -> Disclosure:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect, PDFEncryptionError

    try:
        pdf = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise fail("RD503", shown, "the PDF is encrypted and cannot be read",
                   "ask for the unprotected file, or remove the password (qpdf --decrypt IN OUT) if you may") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        if _about_encryption(exc):
            raise fail("RD503", shown, "the PDF is encrypted and cannot be read",
                       "ask for the unprotected file, or remove the password (qpdf --decrypt IN OUT) if you may") from None
        raise fail("RD501", shown, f"the file is not a readable PDF ({type(exc).__name__})",
                   "open it in a PDF viewer to check it, or import the Word file instead") from None
    with pdf:
        if _is_encrypted(pdf):
            raise fail("RD503", shown, "the PDF is encrypted and cannot be read",
                       "ask for the unprotected file, or remove the password (qpdf --decrypt IN OUT) if you may")
        if len(pdf.pages) > MAX_PAGES:
            raise fail("RD510", shown, f"the PDF has {len(pdf.pages)} pages, more than a disclosure ({MAX_PAGES})")
        return PdfReader(shown).read(pdf, pdfium_document(path))


def pdfium_document(path: str):
    """The same file opened with PDFium, to read each page's characters and rules fast; None when
    PDFium cannot open it (pdfplumber reads every page then)."""
    try:
        import pypdfium2

        return pypdfium2.PdfDocument(path)
    except Exception:  # noqa: BLE001 - any failure here only means the slower reader is used
        return None


def read_with_pdfium(document, page, index: int) -> None:
    """Give the pdfplumber page PDFium's characters and rules, where they stand for it exactly."""
    from .pdfium_objects import page_objects

    if tuple(page.mediabox[:2]) != (0, 0) or tuple(page.bbox) != tuple(page.mediabox):
        return
    objects = page_objects(document, index, float(page.height), float(page.initial_doctop))
    if objects is not None:
        page._objects = objects


def _about_encryption(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password errors in its own exception."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
    return any(isinstance(item, (PDFPasswordIncorrect, PDFEncryptionError)) for item in seen)


def _is_encrypted(pdf) -> bool:
    trailer = getattr(pdf.doc, "encryption", None)
    return bool(trailer)


class PdfReader:
    def __init__(self, shown: str):
        self.shown = shown
        self.tables: list[SourceTable] = []
        self.lines: list[ProseLine] = []
        self.cover: list[str] = []
        self.text_chars = 0
        self.edges: set[tuple[str, int]] = set()  # the lines at the top and foot of the page before
        self.last_line: Optional[ProseLine] = None  # the last prose line seen (None: a paragraph begins)

    def read(self, pdf, fast=None) -> Disclosure:
        try:
            for number, page in enumerate(pdf.pages, start=1):
                if fast is not None:
                    read_with_pdfium(fast, page, number - 1)
                self.read_page(page, number)
        finally:
            if fast is not None:
                fast.close()
        if self.text_chars == 0:
            raise fail("RD502", self.shown, f"none of the {len(pdf.pages)} pages has text: a scanned PDF",
                       "import the Word or Excel file the PDF was made from, or run OCR on it first")
        unruled, prose = tables_without_rules(self.lines, self.shown)
        return Disclosure(self.shown, "pdf", tuple(self.cover), tuple(self.tables) + tuple(unruled),
                          tuple(join_paragraphs(prose)))

    def read_page(self, page, number: int) -> None:
        found = sorted(page.find_tables(), key=lambda table: table.bbox[1])
        lines = [line for line in page.extract_text_lines(y_tolerance=line_tolerance(page))
                 if clean(line["text"]) and not _folio(line["text"])]
        self.text_chars += sum(len(line["text"].strip()) for line in lines)
        lines = self.without_running_lines(lines, float(page.height))
        if number == 1 or (not self.cover and not found):
            self.cover.extend(clean(line["text"]) for line in lines)
        captions: set[int] = set()
        top = 0.0
        for table in found:
            above = caption_lines(lines, [i for i, line in enumerate(lines)
                                          if top <= line["top"] and line["bottom"] <= table.bbox[1] + 1])
            captions.update(above)
            self.add_table(table, number, [lines[i] for i in above])
            top = table.bbox[3]
        prose = [line for i, line in enumerate(lines)
                 if i not in captions and not any(_inside(line, table.bbox) for table in found)]
        found_lines = page_lines(prose, Place(self.shown, number), self.last_line)
        if found_lines:
            self.last_line = found_lines[-1]
        self.lines.extend(found_lines)

    def without_running_lines(self, lines: list[dict], height: float) -> list[dict]:
        """The page's lines without its running head and foot: a line at the top or foot of the page
        printed at the same place on the page before ("某某局2024年度部门决算" over every page), which
        would otherwise be taken for the title of a table that goes on from the page before. A caption
        (a title ending in 表, 公开02表, 单位：万元) is never one: tables begin at the same place of their pages."""
        ordered = sorted(range(len(lines)), key=lambda i: lines[i]["top"])
        edge = {i: _edge_key(lines[i], height, i in ordered[:2]) for i in ordered[:2] + ordered[-2:]}
        running = {i for i, key in edge.items() if key in self.edges and not CAPTION_CELL.search(key[0])}
        self.edges = set(edge.values())
        return [line for i, line in enumerate(lines) if i not in running]

    def add_table(self, table, number: int, above: list[dict]) -> None:
        lifted, rows = lift_captions(resolve_merges(table))
        captions = tuple(clean(line["text"]) for line in above) + lifted
        if self.tables and continues(self.tables[-1], rows, captions):
            self.tables[-1] = continued(self.tables[-1], rows, number)
            return
        self.tables.append(SourceTable(Place(self.shown, number), captions, tuple(rows), (number,) * len(rows)))


def tables_without_rules(lines: list[ProseLine], shown: str) -> tuple[list[SourceTable], list[ProseLine]]:
    """Tables drawn without rules (a 三线表, or none at all) are lines of text to pdfplumber: a title,
    a 单位 line and the rows below it are read as a table printed as text (text_tables), the rest
    is prose."""
    from .text_tables import split_tables

    keyed = [(line.paragraph.text, line.paragraph.place.page) for line in lines]
    tables, rest = split_tables(keyed, shown)
    if not tables:
        return [], lines
    kept = {id(item) for item in rest}
    return tables, [line for line, item in zip(lines, keyed) if id(item) in kept]


def _edge_key(line: dict, height: float, at_top: bool) -> tuple[str, int]:
    """A line's words and its distance from the page's top or foot, to 4 points."""
    place = line["top"] if at_top else height - line["bottom"]
    return clean(line["text"]), round(place / 4) * (1 if at_top else -1)


def caption_lines(lines: list[dict], above: list[int]) -> list[int]:
    """The last three lines above a table (title, maybe broken over two lines, and 单位 line), and a
    numbering printed above them (公开04表, 附表4)."""
    chosen = above[-3:]
    earlier = above[:-3]
    while earlier and CAPTION_CELL.search(clean(lines[earlier[-1]]["text"])) and not clean(lines[earlier[-1]]["text"]).startswith("注"):
        chosen.insert(0, earlier.pop())
    return chosen


def line_tolerance(page) -> float:
    """How far apart the tops of one line's characters may be: a face's box stands higher or lower than
    another's by a share of the type size (the 2025 of a cover's "2025 年度部门决算" in a Latin face, the
    largest type of its page)."""
    tallest = max((char["bottom"] - char["top"] for char in page.chars), default=0.0)
    return min(6.0, max(3.0, 0.2 * tallest))  # lines of small type (9 pt) stay apart


def _inside(line: dict, bbox) -> bool:
    x0, top, x1, bottom = bbox
    return line["top"] >= top - 1 and line["bottom"] <= bottom + 1


def _folio(text: str) -> bool:
    """A page number in the margin ("- 3 -", "3", "第 3 页")."""
    return bool(re.fullmatch(r"[\s\-—第页]*\d{1,3}[\s\-—第页/共\d]*", text))  # 2025 alone is a year


def page_lines(lines: list[dict], place: Place, before: Optional[ProseLine]) -> list[ProseLine]:
    """The prose lines of a page, each marked when it begins a paragraph: a heading, an indented
    line, or the line after one that stops short of the right margin (PDF text has no paragraph marks),
    unless that line only stopped short because the number the next line begins with did not fit."""
    if not lines:
        return []
    left = min(line["x0"] for line in lines)
    right = max(line["x1"] for line in lines)
    size = _char_size(lines[0])
    result = []
    for line in lines:
        text = prose_text(line["text"])
        ended = before is None or before.short and not number_wrapped(before, text, size)
        toc = bool(TOC_LINE.search(text))  # each 目录 line is one entry, however long
        starts = (ended or toc or line["x0"] > left + 1.5 * size or bool(HEADING.match(text))
                  or bool(LIST_ITEM.match(text)))
        short = toc or line["x1"] < right - 2 * size or bool(HEADING.match(text)) and len(text) < 30
        before = ProseLine(SourceParagraph(text, place), starts, short, faces_of(line), right - line["x1"])
        result.append(before)
    return result


LEADING_NUMBER = re.compile(r"^\d[\d,.%]*(?:[。，、；：）”]+[\d,.%]+)*[。，、；：）”]*")  # no line break inside: "0.00%。2025"


def number_wrapped(before: ProseLine, text: str, size: float) -> bool:
    """A line of a left-aligned paragraph that stops short because the number beginning the next line
    ("…占本年支出合计的" | "100.00%。…") is too wide for the room left: the paragraph goes on."""
    number = LEADING_NUMBER.match(text)
    if number is None or re.search(r"[。；！？：]$", before.paragraph.text):
        return False
    text = number.group()
    marks = sum(1 for char in text if ord(char) > 0x7F)
    width = 0.6 * (len(text) - marks) + marks + 1  # in characters: figures half, the marks kept with them whole
    return before.room < width * size


def faces_of(line: dict) -> tuple[tuple[str, int], ...]:
    counted = Counter(SUBSET.sub("", char.get("fontname") or "") for char in line.get("chars", ())
                      if HAN.match(char["text"]))
    return tuple(counted.items())


def _char_size(line: dict) -> float:
    return max(6.0, line["bottom"] - line["top"])


def join_paragraphs(lines: list[ProseLine]) -> list[SourceParagraph]:
    """Lines joined into paragraphs; a paragraph running over a page break keeps its first page.
    A heading line is a paragraph of its own, marked as a heading. A PDF has no styles, but its
    headings are set in a face of their own (黑体, 楷体, bold) where the body is 仿宋 or 宋体: a
    change of face between lines ends a paragraph, and a paragraph wholly in another face than the
    body's is a heading when it is numbered ("2.完成的绩效目标", "（1）…") or a short line that
    states nothing ("附件 1")."""
    body = body_face(lines)
    result: list[SourceParagraph] = []
    emphasized: list[bool] = []  # each paragraph of result: all of it set in a face other than the body's
    previous: Optional[bool] = None
    for line in lines:
        heading = is_heading(line.paragraph.text)
        emphasis = _emphasis(line, body)
        if emphasis is None:
            emphasis = bool(previous)  # a line of figures or Latin letters alone: set as the line before
        if line.starts or heading or not result or result[-1].is_heading or emphasis != previous:
            result.append(SourceParagraph(line.paragraph.text, line.paragraph.place, heading))
            emphasized.append(emphasis)
        else:
            result[-1] = _joined(result[-1], line.paragraph)
        previous = emphasis
    return [attrs.evolve(p, is_heading=True) if alone and not p.is_heading and emphasized_heading(p.text) else p
            for p, alone in zip(result, emphasized)]


def _joined(last: SourceParagraph, line: SourceParagraph) -> SourceParagraph:
    text = _join(last.text, line.text)
    starts = last.page_starts
    if line.place.page != last.page_at(len(last.text)):
        starts += ((len(text) - len(line.text), line.place.page),)
    return SourceParagraph(text, last.place, False, starts)


def body_face(lines: list[ProseLine]) -> str:
    """The face most of the text outside tables is set in."""
    counted: Counter = Counter()
    for line in lines:
        for face, count in line.faces:
            counted[face] += count
    return counted.most_common(1)[0][0] if counted else ""


def _emphasis(line: ProseLine, body: str) -> Optional[bool]:
    """True for a line whose Chinese is all in faces other than the body's; None for one with no Chinese."""
    if not line.faces:
        return None
    return bool(body) and all(face and face != body for face, _ in line.faces)


def emphasized_heading(text: str) -> bool:
    if TOC_LINE.search(text):
        return False
    if HEADING.match(text) or NUMBERED.match(text):
        return len(text) <= 200
    return len(text) <= 40 and not re.search(r"[。，；：:]", text) and not AMOUNT_PRINTED.search(text)


def _join(left: str, right: str) -> str:
    if left and right and (ord(left[-1]) > 0x7F or ord(right[0]) > 0x7F):
        return left + right
    return f"{left} {right}" if left and right else left + right


def resolve_merges(table) -> list[tuple[str, ...]]:
    """Each grid position's text; a position inside a merged cell takes the merged cell's text.
    A row spans from its cells' top to the nearest cell bottom (a merged cell reaches further
    down), a column likewise across."""
    extracted = table.extract()
    boxes = []  # (bbox, text) of every real cell
    for row_index, row in enumerate(table.rows):
        for column_index, box in enumerate(row.cells):
            if box is not None:
                boxes.append((box, extracted[row_index][column_index]))
    ys = [_narrowest([box for box in row.cells if box], 1, 3) for row in table.rows]
    xs = [_narrowest([row.cells[j] for row in table.rows if j < len(row.cells) and row.cells[j]], 0, 2)
          for j in range(max(len(row.cells) for row in table.rows))]
    result = []
    for row_index, row in enumerate(table.rows):
        cells = []
        for column_index, box in enumerate(row.cells):
            if box is not None:
                cells.append(clean(extracted[row_index][column_index]))
            else:
                cells.append(clean(_covering(boxes, ys[row_index], xs[column_index])))
        result.append(tuple(cells))
    return result


def _narrowest(boxes, low: int, high: int) -> tuple[float, float]:
    if not boxes:
        return (0.0, 0.0)
    start = max(box[low] for box in boxes)
    return (start, min(box[high] for box in boxes))


def _covering(boxes, row_range, column_range) -> Optional[str]:
    x = (column_range[0] + column_range[1]) / 2
    y = (row_range[0] + row_range[1]) / 2
    for (x0, top, x1, bottom), text in boxes:
        if x0 <= x <= x1 and top <= y <= bottom:
            return text
    return None
