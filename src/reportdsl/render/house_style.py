"""A house style without Word: the default template with other fonts, sizes and a title colour.

`reportdsl template --body-font 仿宋_GB2312 --heading-font 黑体 --title-color red -o house.docx`
writes a template that `compile --template house.docx` then uses. Each option changes a group of
the named styles (render/docx_styles.py), as Word's font dialog would: the East Asian font for
Chinese, and the size in points.
"""

from __future__ import annotations

import io
import re
from typing import Optional

import attrs

from .docx_zip import normalize_zip

BODY_STYLES = ("Normal", "正文", "表格文字", "表格数字", "表格单位", "表注", "图", "toc 2")
HEADING_STYLES = ("部分标题", "一级标题", "目录标题", "表格标题", "表格表头", "图题", "toc 1")
TITLE_STYLES = ("封面标题", "报告标题")
COLOURS = {"red": "FF0000", "black": "000000", "blue": "0000FF", "红": "FF0000", "黑": "000000", "蓝": "0000FF"}
HEX_COLOUR = re.compile(r"#?[0-9A-Fa-f]{6}")
MAX_FONT_NAME = 64


class HouseStyleError(ValueError):
    """An option a template cannot be made with; the message says which and why."""


@attrs.frozen
class HouseStyle:
    body_font: Optional[str] = None
    heading_font: Optional[str] = None
    title_font: Optional[str] = None
    title_color: Optional[str] = None
    body_size: Optional[float] = None


def colour_hex(colour: str) -> str:
    if colour.lower() in COLOURS or colour in COLOURS:
        return COLOURS.get(colour.lower(), COLOURS.get(colour, ""))
    if HEX_COLOUR.fullmatch(colour):
        return colour.lstrip("#").upper()
    raise HouseStyleError(f"'{colour}' is not a colour: give red, black, blue or six hex digits (C00000)")


def font_name(name: Optional[str]) -> Optional[str]:
    if name is not None and (not name.strip() or len(name) > MAX_FONT_NAME or any(c in name for c in "<>&\"")):
        raise HouseStyleError(f"'{name}' is not a font name")
    return name


def set_east_asian(style, font: str) -> None:
    from docx.oxml.ns import qn

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def make_template(style: HouseStyle, base: bytes) -> bytes:
    """The base template (the default one) with the house style applied."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    document = Document(io.BytesIO(base))
    styles = {s.name: s for s in document.styles}
    groups = ((BODY_STYLES, font_name(style.body_font)), (HEADING_STYLES, font_name(style.heading_font)),
              (TITLE_STYLES, font_name(style.title_font)))
    for names, font in groups:
        for name in names if font else ():
            if name in styles:
                set_east_asian(styles[name], font)
    if style.title_color:
        colour = colour_hex(style.title_color)
        for name in TITLE_STYLES:
            if name in styles:
                styles[name].font.color.rgb = RGBColor.from_string(colour)
    if style.body_size is not None:
        if not 5 <= style.body_size <= 72:
            raise HouseStyleError(f"a body size of {style.body_size} pt is not a size for a document (5 to 72)")
        for name in ("Normal", "正文"):
            styles[name].font.size = Pt(style.body_size)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())
