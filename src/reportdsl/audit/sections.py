"""RD546: a section every disclosure on the layout has (its heading is fixed words, and no
condition leaves it out) that the document does not print."""

from __future__ import annotations

import re
from typing import Iterator

from .. import ast
from ..importing.located import Location
from ..importing.source import Disclosure
from .document_checks import finding
from .locate import Finding


def fixed_title(node) -> str | None:
    parts = node.title.parts
    if all(isinstance(part, ast.Literal) for part in parts):
        return "".join(part.text for part in parts)
    return None


def required_sections(node, inside_condition: bool = False) -> Iterator[str]:
    """The fixed headings of sections and parts outside any `if` block; a table's section is RD542's."""
    if isinstance(node, ast.IfBlock):
        inside_condition = True
    if isinstance(node, (ast.Section, ast.Part)) and not inside_condition:
        title = fixed_title(node)
        if title and not title.rstrip("。").endswith("表"):
            yield title
    for child in ast.children(node):
        yield from required_sections(child, inside_condition)


def squeeze(text: str) -> str:
    return "".join(text.split()).rstrip("。.")


# A line of the 目录: the heading, then a tab or leaders, then its page number (or none yet).
CONTENTS_LINE = re.compile(r"(\t|…{2,}|\.{4,}|·{4,})\s*\d*\s*$")


def heading_of(line: str) -> str:
    return squeeze(CONTENTS_LINE.sub("", line))


def contents(paragraphs) -> set[int]:
    """The 目录's lines: from the paragraph 目录 to the body's first heading, which repeats the first line."""
    texts = [squeeze(p.text) for p in paragraphs]
    if "目录" not in texts:
        return set()
    start = texts.index("目录") + 1
    if start >= len(texts):
        return set()
    first = heading_of(paragraphs[start].text)
    for index in range(start + 1, len(texts)):
        if heading_of(paragraphs[index].text) == first:
            return set(range(start - 1, index))
    return set()


def missing_sections(disclosure: Disclosure, layout_report) -> Iterator[Finding]:
    """A heading printed only in the 目录 is missing too."""
    toc = contents(disclosure.paragraphs)
    printed = [squeeze(p.text) for index, p in enumerate(disclosure.paragraphs)
               if index not in toc and not CONTENTS_LINE.search(p.text)]
    required = list(dict.fromkeys(required_sections(layout_report)))
    missing = [title for title in required if not any(squeeze(title) in text for text in printed)]
    if len(missing) * 2 > len(required):
        yield another_template(disclosure, missing, len(required))
        return
    for title in missing:
        yield finding("RD546", "error", f"the section '{title}' is not in the document", Location(disclosure.path),
                      "every section of the layout is published; one with nothing to say says so (本年度无…)")


def another_template(disclosure: Disclosure, missing: list[str], required: int) -> Finding:
    """Most of the layout's sections absent: the document follows another template (or is a part of
    one), and a finding for each would only list the layout; one warning says so."""
    shown = "、".join(missing[:3]) + ("…" if len(missing) > 3 else "")
    return finding("RD546", "warning", f"{len(missing)} of the layout's {required} sections are not in the document "
                   f"({shown}): it follows another template, or is a part of a disclosure", Location(disclosure.path),
                   "audit it on the layout of its own template; its sections are not compared with this one's")
