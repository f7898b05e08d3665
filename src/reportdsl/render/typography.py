"""Chinese typography of the text a document prints.

Layouts and reports write "{year} 年度" with spaces so that the source reads well; a published
document has no literal space between Chinese and a figure (Word's East Asian/Latin auto spacing,
autoSpaceDE/autoSpaceDN, draws that gap), and the punctuation beside Chinese text is full width.
"""

from __future__ import annotations

import re

CJK = "\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e\u201c\u201d\u2018\u2019\u2014\u2026"
LATIN = "0-9A-Za-z%.\\-+"
SPACE_AFTER_CJK = re.compile(f"(?<=[{CJK}]) +(?=[{LATIN}【])")
SPACE_BEFORE_CJK = re.compile(f"(?<=[{LATIN}】]) +(?=[{CJK}])")
FULL_WIDTH = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"}
HALF_PUNCTUATION_BY_CJK = re.compile(f"(?<=[{CJK}])[(),:;]|[(),:;](?=[{CJK}])")
OPEN_PAREN_BEFORE_FIGURE = re.compile(r"\((?=[0-9][^()]*）)")
CLOSE_PAREN_AFTER_FIGURE = re.compile(r"(?<=（)([^()（）]*)\)")


def tighten(text: str) -> str:
    """No space between Chinese and a figure; full-width punctuation next to Chinese text."""
    text = SPACE_BEFORE_CJK.sub("", SPACE_AFTER_CJK.sub("", text))
    text = HALF_PUNCTUATION_BY_CJK.sub(lambda match: FULL_WIDTH[match.group()], text)
    text = OPEN_PAREN_BEFORE_FIGURE.sub("（", text)
    return CLOSE_PAREN_AFTER_FIGURE.sub(lambda match: match.group(1) + "）", text)


def heading_text(heading) -> str:
    """A heading as printed: its number as it is (第二部分 keeps its space), its title typeset."""
    separator = " " if heading.level == 1 and heading.number else ""
    return f"{heading.number}{separator}{tighten(heading.title)}"
