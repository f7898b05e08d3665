"""Template leftovers in published text (RD403): what a writer was meant to replace and did not —
alternatives left to choose from ("增加（减少）"), placeholders ("XX", "××", "X.X"), a unit with no
figure before it ("为 万元"), a percent sign with none ("占 %"), a doubled unit ("万元万元").

Looked for in the literal pieces of every text of a report and its layout (a figure filled in by
`{…}` is not a leftover: a blank one is RD401), and in the sentences and texts of `stated` blocks.
"""

from __future__ import annotations

import functools
import re
from typing import Iterator, Optional

from . import ast
from .names import TYPED_KINDS
from .source import Span

_DIRECTIONS = "增加|减少|增长|下降|上升|提高|降低|增|减|升|降|高于|低于|高|低|大于|小于|多|少|节约|超支"
_UNITS = "万元|亿元|元"
_COUNTS = "辆|人|个|台|套|家|项|次|场|篇|条"
_BEFORE_A_FIGURE = "为|是|达|计|共|约|增加|减少|增长|下降|支出|收入|拨款|经费|总额|金额|合计|总计|预算|决算|保有量|人数|其中"

PATTERNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"(?:{_DIRECTIONS})[（(](?:{_DIRECTIONS})[）)]|[（(](?:{_DIRECTIONS})[）)](?:{_DIRECTIONS})"
                rf"|(?:{_DIRECTIONS})/(?:{_DIRECTIONS})"),
     "alternatives left for the writer to choose from: keep the one that holds (or let {x:增减} choose it)"),
    (re.compile(r"(?<![A-Za-z])(?:[XＸ×]{2,}|[Xx×]+[.．][Xx×]+|xx+)(?![A-Za-z])"),
     "a placeholder of the template: put the figure or the text in its place"),
    (re.compile(rf"(?:{_BEFORE_A_FIGURE})[ \t\u3000]*(?:{_UNITS}|{_COUNTS})(?=[，。；、,;：:）)\s]|$)"),
     "a unit with no figure before it: the figure is missing"),
    (re.compile(rf"(?:{_BEFORE_A_FIGURE}|{_DIRECTIONS}|占|完成预算的?)[ \t\u3000]*[%％]"),
     "a percentage with no figure before it: the rate is missing"),
    (re.compile(rf"({_UNITS})[ \t\u3000]*\1"),
     "the unit is written twice"),
)


KEPT_TEXT = 2000  # pieces up to this long keep their answer: an editor checks the same ones at every pause


def find_leftovers(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, the leftover, what it is) for each leftover in a piece of text."""
    return _kept_leftovers(text) if len(text) <= KEPT_TEXT else _leftovers(text)


def _leftovers(text: str) -> tuple[tuple[int, int, str, str], ...]:
    return tuple((match.start(), match.end(), match.group(), meaning)
                 for pattern, meaning in PATTERNS for match in pattern.finditer(text))


_kept_leftovers = functools.lru_cache(maxsize=8192)(_leftovers)


# Nodes with no published literal text inside (figures, conditions), or whose text is not published
# (a check's message) or is looked at apart (stated blocks): not walked into.
_NOT_TEXT = (ast.Number, ast.Percent, ast.Name, ast.Attr, ast.Index, ast.Call, ast.Comprehension, ast.BinOp,
             ast.Compare, ast.Logic, ast.Not, ast.Neg, ast.Coalesce, ast.Blank, ast.Placeholder, ast.Interp,
             ast.Check, ast.Stated, ast.Classification, ast.Ref)


def literal_pieces(report: ast.Report) -> Iterator[tuple[str, Optional[Span]]]:
    """Every literal piece of published text of a report (its layout merged in), with its span."""
    global _kept
    used: dict[int, tuple[object, tuple]] = {}
    yield from _pieces(report, used)
    _kept = used


# The pieces of each statement of the last report looked at, by the statement's identity: an editor
# checks again with the layout's statements, and the report's unchanged ones, the very same objects.
_kept: dict[int, tuple[object, tuple]] = {}


def _pieces(node, used: dict) -> tuple:
    statement = isinstance(node, ast.STATEMENTS)
    kept = _kept.get(id(node)) if statement else None
    if kept is not None and kept[0] is node:
        used[id(node)] = kept
        return kept[1]
    found: list = []
    stack = [node]
    while stack:
        current = stack.pop()
        if type(current) is ast.ItemNode:  # as below, but not through each of 50,000 items' figures
            if current.attributes or not TYPED_KINDS.issuperset(map(type, current.values)):
                texts = [value for value in current.values if isinstance(value, (ast.Text, ast.Template))]
                stack.extend(reversed([*texts, *(template for _, template in current.attributes), *current.children]))
            else:
                stack.extend(reversed(current.children))
        elif isinstance(current, ast.Literal):
            found.append((current.text, current.span))
        elif isinstance(current, ast.Text):
            found.append((current.value, current.span))
        elif current is not node and isinstance(current, ast.STATEMENTS):
            found.extend(_pieces(current, used))
        elif not isinstance(current, _NOT_TEXT):
            stack.extend(reversed(ast.children(current)))
    if statement:
        used[id(node)] = (node, tuple(found))
    return tuple(found)


def stated_texts(blocks) -> Iterator[tuple[str, ast.Stated, ast.StatedEntry]]:
    for block in blocks:
        for entry in block.entries:
            if entry.sentence is not None:
                yield entry.sentence, block, entry
            if isinstance(entry.literal, ast.Text):
                yield entry.literal.value, block, entry


def piece_span(span: Optional[Span], text: str, start: int, end: int) -> Optional[Span]:
    """The span of text[start:end] inside a piece whose span is `span`, when the file holds the piece
    as it is (a quoted text with its quotes; no escape or joined line in it); else the piece's span."""
    if span is None:
        return None
    quotes = (span.end - span.start - len(text)) // 2
    if quotes not in (0, 1) or span.end - span.start != len(text) + 2 * quotes:
        return span
    first = span.start + quotes + start
    return Span(span.path, first, span.start + quotes + end, span.line, span.column + quotes + start)
