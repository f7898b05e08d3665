"""A page's characters and straight rules read with PDFium (pypdfium2, which pdfplumber itself
depends on), in pdfplumber's own object form, so that pdfplumber finds the tables and lines of text
on them without pdfminer interpreting the page's content in Python — most of an audit's time.

A page this cannot stand for exactly (rotated, or drawn inside a form XObject) gives None, and is
read by pdfplumber as before."""

from __future__ import annotations

import ctypes
from typing import Optional

STRAIGHT = 0.01  # a segment this close to level (or plumb), in points, is a rule
# PDFium reports a printed space as a generated one: kept where the gap it fills is a space's width
# (a quarter em), not where it only marks letter spacing between a CJK character and a digit
SPACE = 0.24


def page_objects(document, index: int, height: float, doctop: float) -> Optional[dict]:
    """pdfplumber's `objects` of page `index`: {"char": [...], "line": [...]}; None for a page that
    needs pdfminer."""
    import pypdfium2.raw as pdfium_c

    page = document[index]
    try:
        if page.get_rotation() % 360:
            return None
        lines = []
        for obj in page.get_objects(max_depth=1):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
                return None
            if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                lines.extend(rules_of(obj.raw, height, doctop))
        text_page = page.get_textpage()
        try:
            chars = characters(text_page.raw, height, doctop)
        finally:
            text_page.close()
        return {"char": chars, "line": lines}
    finally:
        page.close()


def characters(text_page, height: float, doctop: float) -> list[dict]:
    import pypdfium2.raw as pdfium_c

    box = pdfium_c.FS_RECTF()
    found = []
    font = FontNames(text_page)
    count = pdfium_c.FPDFText_CountChars(text_page)
    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(text_page, i)
        if pdfium_c.FPDFText_IsGenerated(text_page, i) == 1:
            if code == 0x20 and found:  # PDFium gives a printed space as a generated one of no width
                space = space_between(text_page, found[-1], i + 1, count)
                if space is not None:
                    found.append(space)
            continue  # a line end PDFium supplied
        if code in (0, 0xFFFE, 0xFFFF) or not pdfium_c.FPDFText_GetLooseCharBox(text_page, i, box):
            continue
        text = chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd"
        size = pdfium_c.FPDFText_GetFontSize(text_page, i)
        # PDFium's loose box of a CJK glyph may reach past its advance; pdfminer's (and so pdfplumber's
        # spaces between words) ends at the advance, which is at most one em
        right = min(box.right, box.left + size) if size > 0 else box.right
        top, bottom = height - box.top, height - box.bottom
        found.append({"object_type": "char", "text": text, "x0": box.left, "x1": right, "top": top,
                      "bottom": bottom, "doctop": doctop + top, "y0": box.bottom, "y1": box.top,
                      "width": right - box.left, "height": bottom - top, "size": size, "fontname": font.of(i),
                      "upright": abs(pdfium_c.FPDFText_GetCharAngle(text_page, i)) < 0.01})
    return found


class FontNames:
    """The name of each character's font, as pdfminer gives it ("ABCDEF+SimHei"), read once per
    text object (a run of characters in one font)."""

    def __init__(self, text_page):
        self.text_page = text_page
        self.buffer = ctypes.create_string_buffer(128)
        self.flags = ctypes.c_int()
        self.last: tuple[int, str] = (0, "")

    def of(self, index: int) -> str:
        import pypdfium2.raw as pdfium_c

        run = pdfium_c.FPDFText_GetTextObject(self.text_page, index)
        key = ctypes.cast(run, ctypes.c_void_p).value or 0
        if key and key == self.last[0]:
            return self.last[1]
        length = pdfium_c.FPDFText_GetFontInfo(self.text_page, index, self.buffer, len(self.buffer), self.flags)
        name = self.buffer.raw[:max(0, min(length, len(self.buffer)) - 1)].decode("utf-8", "replace")
        self.last = (key, name)
        return name


def space_between(text_page, before: dict, following: int, count: int) -> Optional[dict]:
    """The space from the character before to the next one on the same line, as pdfminer gives it."""
    import pypdfium2.raw as pdfium_c

    box = pdfium_c.FS_RECTF()
    if following >= count or not pdfium_c.FPDFText_GetLooseCharBox(text_page, following, box):
        return None
    if box.left - before["x1"] < SPACE * before["size"] or abs((box.top + box.bottom) / 2 - (before["y0"] + before["y1"]) / 2) > before["height"] / 2:
        return None
    return dict(before, text=" ", x0=before["x1"], x1=box.left, width=box.left - before["x1"])


def rules_of(path, height: float, doctop: float) -> list[dict]:
    """Each straight level or plumb segment of a path, as a pdfplumber line."""
    import pypdfium2.raw as pdfium_c

    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(path, matrix):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    for i in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        at = (matrix.a * x.value + matrix.c * y.value + matrix.e, matrix.b * x.value + matrix.d * y.value + matrix.f)
        points.append((kind, at, bool(pdfium_c.FPDFPathSegment_GetClose(segment))))
    return [line for line in segments(points, pdfium_c) for line in [as_line(*line, height, doctop)] if line]


def segments(points, pdfium_c):
    start = previous = None
    for kind, at, closes in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = previous = at
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
            yield previous, at
        previous = at
        if closes and start is not None:
            yield at, start
            previous = start


def as_line(a, b, height: float, doctop: float) -> Optional[dict]:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) < STRAIGHT:
        y1 = y0
    elif abs(x0 - x1) < STRAIGHT:
        x1 = x0
    else:
        return None
    left, right = min(x0, x1), max(x0, x1)
    low, high = min(y0, y1), max(y0, y1)
    top, bottom = height - high, height - low
    return {"object_type": "line", "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": doctop + top,
            "y0": low, "y1": high, "width": right - left, "height": bottom - top}
