"""The edited report parsed statement by statement, each kept by its text between pauses in typing:
an edit parses again only the top-level statement it falls in.

The text is cut where a top-level statement starts (a line beginning with a statement's keyword,
outside any string, comment or bracket). Each piece is parsed by the parser itself, as the file's
header followed by the piece, and its positions are then moved to where the piece stands in the
whole file; so are those of a piece kept from before that has moved (text typed above it). When any piece does not parse, the whole text is
parsed as usual, so that a syntax error reads as it always does.
"""

from __future__ import annotations

import bisect
import re
from typing import Optional

import attrs

from .. import ast
from ..source import SourceFile, Span

STATEMENT_KEYWORDS = frozenset("fact let items check stated classification part section para text list for if "
                               "table chart".split())
KEYWORD = re.compile(r"[a-z]+(?=[\s\"]|$)")
OPENERS, CLOSERS = "{([", "})]"
SIGNIFICANT = re.compile(r"[#\"'{}()\[\]\n]")


def statement_starts(text: str) -> Optional[list[int]]:
    """Where each top-level statement starts, or None when the brackets do not add up."""
    starts: list[int] = []
    depth, index = 0, 0
    if _statement_at(text, 0):
        starts.append(0)
    while True:
        found = SIGNIFICANT.search(text, index)
        if found is None:
            return starts
        index, character = found.start(), found.group()
        if character == "#":
            index = _line_end(text, index)
        elif character in "\"'":
            index = _string_end(text, index)
        else:
            index += 1
            if character in OPENERS:
                depth += 1
            elif character in CLOSERS:
                depth -= 1
                if depth < 0:
                    return None
            elif depth == 0 and _statement_at(text, index):  # a line end
                starts.append(index)


def _statement_at(text: str, index: int) -> bool:
    keyword = KEYWORD.match(text, index)
    return keyword is not None and keyword.group() in STATEMENT_KEYWORDS


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


STRING_REST = {'"""': re.compile(r'(?:[^\\"]|\\.|"(?!""))*"""', re.S),
               '"': re.compile(r'(?:[^\\"]|\\.)*"', re.S), "'": re.compile(r"(?:[^\\']|\\.)*'", re.S)}


def _string_end(text: str, index: int) -> int:
    """The index after a string that starts at `index` ("…", '…' or \"\"\"…\"\"\", with escapes)."""
    quote = '"""' if text.startswith('"""', index) else text[index]
    rest = STRING_REST[quote].match(text, index + len(quote))
    return len(text) if rest is None else rest.end()


def shifted(node, offset: int, lines: int):
    """A syntax node (or tuple of them) with every position `offset` characters and `lines` lines on."""
    if isinstance(node, Span):
        return Span(node.path, node.start + offset, node.end + offset, node.line + lines, node.column)
    if isinstance(node, tuple):
        return tuple(shifted(element, offset, lines) for element in node)
    if not attrs.has(type(node)):
        return node
    moved = object.__new__(type(node))
    for field in attrs.fields(type(node)):
        object.__setattr__(moved, field.name, shifted(getattr(node, field.name), offset, lines))
    return moved


@attrs.frozen
class Piece:
    start: int
    line: int
    statements: tuple
    comments: tuple


class Places:
    """Where the pieces of the edited text stand. A position inside a piece is told as the piece
    (its text, and which occurrence of that text) and the position from its start: what stays the
    same while the piece is kept, wherever text typed above it moves it (editor/kept_blocks.py)."""

    def __init__(self, source: SourceFile, starts: list[int]):
        self.path = source.path
        self.starts = [0, *starts] if not starts or starts[0] != 0 else list(starts)
        self.ends = [*self.starts[1:], len(source.text)]
        self.lines = [source.position(start)[0] for start in self.starts]
        seen: dict[str, int] = {}
        self.pieces: list[tuple[str, int]] = []  # each piece's text, and which occurrence of it
        for start, end in zip(self.starts, self.ends):
            text = source.text[start:end]
            seen[text] = seen.get(text, -1) + 1
            self.pieces.append((text, seen[text]))
        self.index = {piece: index for index, piece in enumerate(self.pieces)}

    def relative(self, span: Span):
        """A span in the edited file as (piece, start, end, line, column) from its piece's start; a
        span in another file as itself; one that crosses pieces as a new object, equal to nothing."""
        if span.path != self.path:
            return span
        index = bisect.bisect_right(self.starts, span.start) - 1
        if index < 0 or span.end > self.ends[index]:
            return object()
        start, line = self.starts[index], self.lines[index]
        return (self.pieces[index], span.start - start, span.end - start, span.line - line, span.column)

    def absolute(self, place) -> Optional[Span]:
        """The span of a place that relative() gave, where its piece stands now; None if it is gone."""
        if isinstance(place, Span):
            return place
        index = self.index.get(place[0]) if isinstance(place, tuple) else None
        if index is None:
            return None
        start, line = self.starts[index], self.lines[index]
        return Span(self.path, start + place[1], start + place[2], line + place[3], place[4])


class StatementParses:
    """One per edited file: its pieces as last parsed, by their text."""

    def __init__(self):
        self.kept: dict[str, Piece] = {}  # by the piece's text
        self.header: tuple[str, Optional[ast.Report]] = ("", None)  # the text before the first statement, parsed
        self.places: Optional[Places] = None  # of the text last parsed

    def parse(self, source: SourceFile) -> ast.Report:
        from ..lark_parser import parse_text_now

        starts = statement_starts(source.text)
        self.places = Places(source, [])  # the whole text one piece, until it is cut into statements
        if not starts:
            return parse_text_now(source)
        head_end = starts[0]
        head = source.text[:head_end]
        try:
            header = self._header(source.path, head)
            pieces = [self._piece(source, head, start, end)
                      for start, end in zip(starts, [*starts[1:], len(source.text)])]
        except Exception:  # noqa: BLE001 - a piece that does not parse: the whole text says why
            self.kept = {}
            return parse_text_now(source)
        self.kept = {source.text[piece.start:end]: piece for piece, end in zip(pieces, [*starts[1:], len(source.text)])}
        self.places = Places(source, starts)
        body = tuple(statement for piece in pieces for statement in piece.statements)
        comments = header.comments + tuple(comment for piece in pieces for comment in piece.comments)
        end = body[-1].span.end if body else header.span.end
        return attrs.evolve(header, body=body, comments=comments, span=source.span(header.span.start, end))

    def _piece(self, source: SourceFile, head: str, start: int, end: int) -> Piece:
        from ..lark_parser import parse_text_now

        line = source.position(start)[0]
        kept = self.kept.get(source.text[start:end])
        if kept is not None:
            if kept.start == start:
                return kept
            return Piece(start, line, shifted(kept.statements, start - kept.start, line - kept.line),
                         shifted(kept.comments, start - kept.start, line - kept.line))
        parsed = parse_text_now(SourceFile(source.path, head + source.text[start:end]))
        offset, lines = start - len(head), line - (head.count("\n") + 1)
        return Piece(start, line, shifted(parsed.body, offset, lines),
                     shifted(tuple(c for c in parsed.comments if c.span.start >= len(head)), offset, lines))

    def _header(self, path: str, head: str) -> ast.Report:
        from ..lark_parser import parse_text_now

        if self.header[0] != head or self.header[1] is None or self.header[1].span.path != path:
            self.header = (head, parse_text_now(SourceFile(path, head)))
        return self.header[1]
