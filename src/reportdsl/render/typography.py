"""Chinese typography of the text a document prints.

Layouts and reports write "{year} 年度" with spaces so that the source reads well; a published
document has no literal space between Chinese and a figure (Word's East Asian/Latin auto spacing,
autoSpaceDE/autoSpaceDN, draws that gap), and the punctuation beside Chinese text is full width.
"""

from __future__ import annotations

import re

CJK_RANGES = ((0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF01, 0xFF5E))
CJK_MARKS = "\u201c\u201d\u2018\u2019\u2014\u2026"
FULL_WIDTH = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"}
# The Chinese side of each rule is tested in Python (is_cjk): a regex class of the CJK ranges costs
# milliseconds to compile, in every process that prints a document.
SPACES = re.compile(r" +")
HALF_PUNCTUATION = re.compile(r"[(),:;]")
OPEN_PAREN_BEFORE_FIGURE = re.compile(r"\((?=[0-9][^()]*）)")
CLOSE_PAREN_AFTER_FIGURE = re.compile(r"(?<=（)([^()（）]*)\)")


def is_cjk(character: str) -> bool:
    """Chinese text: CJK characters, CJK and full-width punctuation, Chinese quotes, dash and ellipsis."""
    code = ord(character)
    return any(low <= code <= high for low, high in CJK_RANGES) or character in CJK_MARKS


def is_latin(character: str) -> bool:
    """A figure's or a Latin word's character."""
    return character.isascii() and (character.isalnum() or character in "%.-+")


def _between(match: re.Match) -> tuple[str, str]:
    """The characters either side of a match ('' at either end of the text)."""
    text, start, end = match.string, match.start(), match.end()
    return (text[start - 1] if start else ""), (text[end] if end < len(text) else "")


def _space(match: re.Match) -> str:
    before, after = _between(match)
    chinese_then_latin = before and is_cjk(before) and after and (is_latin(after) or after == "【")
    latin_then_chinese = before and (is_latin(before) or before == "】") and after and is_cjk(after)
    return "" if chinese_then_latin or latin_then_chinese else match.group()


def _punctuation(match: re.Match) -> str:
    before, after = _between(match)
    return FULL_WIDTH[match.group()] if (before and is_cjk(before)) or (after and is_cjk(after)) else match.group()


def tighten(text: str) -> str:
    """No space between Chinese and a figure; full-width punctuation next to Chinese text."""
    text = SPACES.sub(_space, text)
    text = HALF_PUNCTUATION.sub(_punctuation, text)
    text = OPEN_PAREN_BEFORE_FIGURE.sub("（", text)
    return CLOSE_PAREN_AFTER_FIGURE.sub(lambda match: match.group(1) + "）", text)


def heading_text(heading) -> str:
    """A heading as printed: its number as it is (第二部分 keeps its space), its title typeset."""
    separator = " " if heading.level == 1 and heading.number else ""
    return f"{heading.number}{separator}{tighten(heading.title)}"
