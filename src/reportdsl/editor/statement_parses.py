"""The edited report parsed statement by statement, each kept by its text between pauses in typing:
an edit parses again only the top-level statement it falls in.

The text is cut where a top-level statement starts (a line beginning with a statement's keyword,
outside any string, comment or bracket). Each piece is parsed by the parser itself, as the file's
header followed by the piece, and its positions are then moved to where the piece stands in the
whole file; so are those of a piece kept from before that has moved (text typed above it). When any piece does not parse, the whole text is
parsed as usual, so that a syntax error reads as it always does.

An `items` block edited within one item's line (after its key, no line added or removed, nothing
but blanks after it on its last line) has only that item read again (item_blocks.read_item_line);
the items after it are moved by what its text grew or shrank.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator, Optional

import attrs

from .. import ast
from ..item_blocks import read_item_line
from ..source import SourceFile, Span
from ..syntax_rules import forbidden_character, nesting_problem
from .kept_blocks import same

STATEMENT_KEYWORDS = frozenset("fact let items check stated classification part section para text list for if "
                               "table chart".split())
KEYWORD = re.compile(r"[a-z]+(?=[\s\"]|$)")
OPENERS, CLOSERS = "{([", "})]"
SIGNIFICANT = re.compile(r"[#\"'{}()\[\]\n]")


class Unbalanced(Exception):
    """A closing bracket with none open."""


def statement_starts(text: str) -> Optional[list[int]]:
    """Where each top-level statement starts, or None when the brackets do not add up."""
    try:
        return ([0] if _statement_at(text, 0) else []) + list(_starts_after(text, 0))
    except Unbalanced:
        return None


def _starts_after(text: str, index: int) -> Iterator[int]:
    """The statement starts after `index`, where the text is at the top level (outside any string,
    comment or bracket): at 0, or at a statement start."""
    depth = 0
    while True:
        found = SIGNIFICANT.search(text, index)
        if found is None:
            return
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
                    raise Unbalanced
            elif depth == 0 and _statement_at(text, index):  # a line end
                yield index


KEYWORD_ROOM = 16  # more than the longest keyword and the character after it


def starts_after_edit(before: str, starts: list[int], text: str) -> Optional[list[int]]:
    """statement_starts(text), where `starts` are those of `before`, the text before an edit: the
    starts before the edit are kept, the text is read again from the last of them (or the top) until
    a start in the unchanged end that stood there before too; from there on the starts are the old
    ones, moved."""
    prefix = _common_prefix(before, text)
    suffix = _common_suffix(before, text, min(len(before), len(text)) - prefix)
    moved = len(text) - len(before)
    kept = starts[:bisect.bisect_left(starts, prefix - KEYWORD_ROOM)]
    found = kept or ([0] if _statement_at(text, 0) else [])  # an edit above every statement: read from the top
    try:
        for start in _starts_after(text, kept[-1] if kept else 0):
            if start >= len(text) - suffix:
                at = bisect.bisect_left(starts, start - moved)
                if at < len(starts) and starts[at] == start - moved:
                    return found + [old + moved for old in starts[at:]]
            found.append(start)
    except Unbalanced:
        return None
    return found


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # halving: each comparison runs in C
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, most: int) -> int:
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:] == b[len(b) - middle:]:
            low = middle
        else:
            high = middle - 1
    return low


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


def _items_around(nodes: tuple, first: int, last: int) -> Optional[list]:
    """The items from the top down to the innermost one whose text holds first…last; None if none does."""
    path: list = []
    while True:
        inside = next((node for node in nodes if node.span.start <= first and last <= node.span.end), None)
        if inside is None:
            return path or None
        path.append(inside)
        nodes = inside.children


def _with_item(node, path: list, edited: ast.ItemNode, after: int, grown: int):
    """`node` (an `items` statement or an item) with the last item of `path` replaced by `edited`:
    the items holding it end `grown` characters further on, and those after it are moved as far."""
    if not path:
        return edited
    inner, rest = path[0], path[1:]
    children = tuple(_with_item(child, rest, edited, after, grown) if child is inner
                     else shifted(child, grown, 0) if grown and child.span.start >= after else child
                     for child in (node.nodes if type(node) is ast.Items else node.children))
    span = node.span if not grown else Span(node.span.path, node.span.start, node.span.end + grown, node.span.line,
                                            node.span.column)
    return attrs.evolve(node, **{"nodes" if type(node) is ast.Items else "children": children}, span=span)


@attrs.frozen
class Piece:
    start: int
    line: int
    statements: tuple
    comments: tuple


class StatementParses:
    """One per edited file: its pieces as last parsed, by their text."""

    def __init__(self):
        self.kept: dict[str, Piece] = {}  # by the piece's text
        self.cut: tuple[str, list[int]] = ("", [])  # the text last parsed, and where its statements start
        self.header: tuple[str, Optional[ast.Report]] = ("", None)  # the text before the first statement, parsed
        self.by_start: dict[int, tuple[str, Piece]] = {}  # the pieces last parsed, by where each starts

    def parse(self, source: SourceFile) -> ast.Report:
        from ..lark_parser import parse_text_now

        before, cut = self.cut
        starts = starts_after_edit(before, cut, source.text) if cut else statement_starts(source.text)
        self.cut = (source.text, starts or [])
        if not starts:
            return parse_text_now(source)
        head_end = starts[0]
        head = source.text[:head_end]
        try:
            header = self._header(source.path, head)
            pieces = [self._piece(source, head, start, end)
                      for start, end in zip(starts, [*starts[1:], len(source.text)])]
        except Exception:  # noqa: BLE001 - a piece that does not parse: the whole text says why
            self.kept, self.by_start = {}, {}
            return parse_text_now(source)
        self.kept = {source.text[piece.start:end]: piece for piece, end in zip(pieces, [*starts[1:], len(source.text)])}
        self.by_start = {piece.start: (text, piece) for text, piece in self.kept.items()}
        body = tuple(statement for piece in pieces for statement in piece.statements)
        comments = header.comments + tuple(comment for piece in pieces for comment in piece.comments)
        end = body[-1].span.end if body else header.span.end
        return attrs.evolve(header, body=body, comments=comments, span=source.span(header.span.start, end))

    def _piece(self, source: SourceFile, head: str, start: int, end: int) -> Piece:
        line = source.position(start)[0]
        kept = self.kept.get(source.text[start:end])
        if kept is not None:
            if kept.start == start and kept.line == line:  # (an edit above of the same length may add a line)
                return kept
            return Piece(start, line, shifted(kept.statements, start - kept.start, line - kept.line),
                         shifted(kept.comments, start - kept.start, line - kept.line))
        edited = self._edited_item(source, start, end, line)
        if edited is not None:
            return edited
        from ..lark_parser import parse_text_now

        parsed = parse_text_now(SourceFile(source.path, head + source.text[start:end]))
        offset, lines = start - len(head), line - (head.count("\n") + 1)
        return Piece(start, line, shifted(parsed.body, offset, lines),
                     shifted(tuple(c for c in parsed.comments if c.span.start >= len(head)), offset, lines))

    def _edited_item(self, source: SourceFile, start: int, end: int, line: int) -> Optional[Piece]:
        """The `items` statement last parsed at `start`, with the one item whose line was edited read
        again; None where the edit is not so confined."""
        from ..lark_parser import parse_expression

        text, (before, piece) = source.text[start:end], self.by_start.get(start, ("", None))
        if piece is None or piece.line != line or len(piece.statements) != 1 or type(piece.statements[0]) is not ast.Items:
            return None
        prefix = _common_prefix(before, text)
        suffix = _common_suffix(before, text, min(len(before), len(text)) - prefix)
        if "\n" in before[prefix:len(before) - suffix] or "\n" in text[prefix:len(text) - suffix]:
            return None
        if forbidden_character(source, text, start) or nesting_problem(source, text, start):
            return None
        path = _items_around(piece.statements[0].nodes, start + prefix, start + len(before) - suffix)
        grown = len(text) - len(before)
        if path is None or path[-1].children or start + prefix <= path[-1].span.start + len(path[-1].key):
            return None
        edited = read_item_line(source, parse_expression, path[-1].span.start)
        if edited is None or edited.span.end != path[-1].span.end + grown:
            return None
        if grown and source.text[edited.span.end:source.text.find("\n", edited.span.end) % (len(source.text) + 1)].strip(" \t\f\r"):
            return None  # something starts after it on its line: its column would change too
        after = path[-1].span.end  # where the positions moved by `grown` start
        statement = _with_item(piece.statements[0], path, edited, after, grown)
        comments = tuple(shifted(c, grown, 0) if c.span.start >= after else c for c in piece.comments)
        return Piece(start, line, (statement,), comments)

    def _header(self, path: str, head: str) -> ast.Report:
        from ..lark_parser import parse_text_now

        last = self.header[1]
        if self.header[0] != head or last is None or last.span.path != path:
            parsed = parse_text_now(SourceFile(path, head))
            if last is not None and same(last.header, parsed.header):  # a comment around it edited
                parsed = attrs.evolve(parsed, header=last.header)  # the very same header: the layout's merge is kept
            self.header = (head, parsed)
        return self.header[1]
