"""Source files and spans: the one place that maps character offsets to lines and columns."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Optional

import attrs

# Characters no report needs and that make text lie or break a backend: C0/C1 controls (other than
# tab and line end), bidirectional overrides, isolates and marks (they reorder how text is shown:
# 12.50 displayed as 05.21), surrogates and Unicode noncharacters (invalid in Word's XML).
_NONCHARACTERS = "".join(chr(plane * 0x10000 + last) for plane in range(17) for last in (0xFFFE, 0xFFFF))
_FORBIDDEN_RANGES = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                     "\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ud800-\udfff")
FORBIDDEN_CHARACTER = re.compile("[" + _FORBIDDEN_RANGES + _NONCHARACTERS + "]")
# The same within the first plane, which the regular expression engine tests as a table, not range
# by range: ten times as fast over a large file, which seldom has a character beyond that plane.
_FORBIDDEN_IN_FIRST_PLANE = re.compile("[" + _FORBIDDEN_RANGES + _NONCHARACTERS[:2] + "]")
_BEYOND_FIRST_PLANE = re.compile("[\U00010000-\U0010ffff]")


def first_forbidden(text: str) -> Optional[re.Match]:
    """FORBIDDEN_CHARACTER's first match in `text`."""
    if _BEYOND_FIRST_PLANE.search(text) is None:
        return _FORBIDDEN_IN_FIRST_PLANE.search(text)
    return FORBIDDEN_CHARACTER.search(text)


# Classes made by the hundred thousand in a large report (spans; the item nodes and numbers of ast.py;
# the tree nodes, quantities, table cells and figure uses made from them): slotted, hashed and compared
# as frozen classes are, but built with plain attribute stores, three times cheaper than a frozen
# class's one call per attribute. Nothing changes one once it is made.
def made_in_bulk(cls=None, *, eq: bool = True):
    """attrs.frozen's equality and hash (by value; by identity with eq=False) on a class not frozen."""
    return attrs.define(cls, eq=eq, unsafe_hash=True if eq else None)


@made_in_bulk
class Span:
    """A half-open range of characters in a source file, with 1-based line and column."""

    path: str
    start: int
    end: int
    line: int
    column: int

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column)


@attrs.frozen
class SourceFile:
    path: str
    text: str
    _line_starts: tuple[int, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        line_ends = itertools.accumulate(map((1).__add__, map(len, self.text.split("\n"))), initial=0)
        object.__setattr__(self, "_line_starts", tuple(line_ends)[:-1])  # each line starts where one ends

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column), clamped to the text."""
        if line > len(self._line_starts):
            return len(self.text)
        start = self._line_starts[max(line, 1) - 1]
        end = self.text.find("\n", start)
        end = len(self.text) if end < 0 else end
        return min(start + max(column, 1) - 1, end)

    def line_start(self, offset: int) -> tuple[int, int]:
        """The 1-based line of an offset within the text, and the offset where that line starts."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, self._line_starts[line - 1]

    def span(self, start: int, end: int) -> Span:
        starts = self._line_starts
        offset = start if 0 <= start <= len(self.text) else max(0, min(start, len(self.text)))
        line = bisect.bisect_right(starts, offset)  # position(), inline: a parse makes many spans
        return Span(self.path, start, end if end > start else start, line, offset - starts[line - 1] + 1)

    def line_text(self, line: int) -> str:
        if not 1 <= line <= len(self._line_starts):
            return ""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")


def normalize_newlines(text: str) -> str:
    """CRLF (Windows) and a lone CR (old Mac files) are line ends like LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
