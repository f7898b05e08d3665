"""Item blocks in their common shape, read without Lark: a report of 50,000 items is almost all lines
like `2010101 "行政运行" (169.84, 194.11, -) reason "新增人员"`, on which Lark's parser spends most of
its time.

`read_item_blocks` reads each `items … { … }` block whose body holds only such lines — a code or a
name, a label, values that are numbers (with a unit, or percentages; perhaps negative), `-` or `?`,
`reason`/`note` texts, children in braces, comments between lines — into the ItemNodes, with the
spans, that Lark's transformer builds from them. A block with anything else in it (an expression
among the values, a comment inside a line, a keyword as a key, a number out of range) is left to Lark
whole. lark_parser.py hands Lark the text with the bodies read here blanked out, offsets unchanged,
and puts these nodes back where Lark finds each block's `items` statement.
tests/test_item_blocks.py compares both ways on every report of the repository and on mutants."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Optional

import attrs

from . import ast
from .diagnostics import CompileError
from .literals import number_node, percent_node
from .source import SourceFile, Span
from .syntax_rules import MAX_DECIMALS, keywords, quoted_text, terminal_pattern
from .template_parser import ExpressionParser, TemplateParser

WS = r"[ \t\f\r\n]*"  # the grammar's %ignore WS


@attrs.frozen
class ItemBlock:
    """One `items` block read here: where its statement starts, its braces, its nodes and comments."""

    start: int  # of the word `items`
    body_start: int  # just after the opening brace
    end: int  # just after the closing brace
    nodes: tuple[ast.ItemNode, ...]
    comments: tuple[ast.Comment, ...]


class _NotAnItemLine(Exception):
    """Something in a block that is not read here: Lark reads the block."""


def blanked(text: str, blocks: dict[int, ItemBlock]) -> str:
    """`text` with the bodies of `blocks` turned to spaces (line ends kept): Lark sees empty blocks,
    and every other character at its own offset."""
    pieces, position = [], 0
    for block in sorted(blocks.values(), key=lambda b: b.start):
        body = text[block.body_start:block.end - 1].split("\n")
        pieces += [text[position:block.body_start], "\n".join(" " * len(line) for line in body)]
        position = block.end - 1
    return "".join(pieces) + text[position:]


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    name, string = terminal_pattern("NAME"), terminal_pattern("STRING")
    number, unit = terminal_pattern("NUMBER"), terminal_pattern("UNIT")
    skipped = "|".join(terminal_pattern(t) for t in ("LONG_STRING", "STRING", "SQSTRING", "COMMENT"))
    header = (rf"(?<!\w)items[ \t\f\r\n]+{name}(?:{WS}{string})?{WS}\({WS}{name}(?:{WS},{WS}{name})*{WS}\){WS}\{{")
    gap = rf"(?:[ \t\f\r\n]+|{terminal_pattern('COMMENT')})*"
    head = (rf"(?P<key>[0-9]+(?![0-9A-Za-z_.%])|{name})(?:{WS}(?P<label>{string}))?"
            rf"(?:{WS}\((?P<values>(?:[^()\"'#{{}}]|{string})*)\))?"
            rf"(?P<attributes>(?:{WS}(?:reason|note)(?!\w){WS}(?:{string}|\?))*)")
    plain_number = r"[ \t]*-?[ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*"
    value = r"[ \t]*(-)?[ \t]*([0-9]+(?:\.[0-9]+)?)[ \t]*"  # each is groups (minus, digits)
    return {
        # most lines: a key, perhaps a plain label, then up to PLAIN_VALUES plain numbers, all on one line,
        # and no `reason`/`note` after them
        "plain_line": re.compile(
            rf"(?P<key>[0-9]+(?![0-9A-Za-z_.%])|{name})(?:[ \t]*(?P<label>\"[^\"\\\n]*\"))?[ \t]*"
            rf"\({value}{f'(?:,{value})?' * (PLAIN_VALUES - 1)}\)"
            r"(?=[ \t]*(?:[\n{}#]|\Z))(?![ \t\f\r\n]*(?:reason|note)(?!\w))"),
        # what Lark's lexer reads as one token is skipped whole, so an `items` inside a text is never taken
        "scan": re.compile(rf"(?:{skipped})|(?P<header>{header})"),
        "gap": re.compile(gap),
        # what follows a gap: a brace, or an item line's head
        "line": re.compile(rf"(?P<open>\{{)|(?P<close>\}})|{head}"),
        "comment": re.compile(terminal_pattern("COMMENT")),
        # values that are all plain numbers on one line, as most are: read without the general pattern
        "plain_values": re.compile(rf"{plain_number}(?:,{plain_number})*"),
        "attribute": re.compile(rf"{WS}(reason|note){WS}({string}|\?)"),
        "value": re.compile(rf"{WS}(?:(?P<blank>-)|(?P<placeholder>\?)(?:{WS}(?P<placeholder_unit>{unit}))?"
                            rf"|(?P<string>{string})|(?P<minus>-)?{WS}(?:(?P<percent>{terminal_pattern('PERCENT')})"
                            rf"|(?P<number>{number})(?:{WS}(?P<unit>{unit}))?)){WS}(?:(?P<comma>,)|\Z)"),
    }


PLAIN_VALUES = 6  # at most, on a line read by the plain pattern
_VALUE_KINDS = ("blank", "placeholder", "string", "percent", "number", "unit")


def read_item_blocks(source: SourceFile, parse_expression: ExpressionParser) -> dict[int, ItemBlock]:
    """The item blocks of a file that are read here, by the offset of their `items` word."""
    scan = _patterns()["scan"]
    blocks: dict[int, ItemBlock] = {}
    position = 0
    while (match := scan.search(source.text, position)) is not None:
        position = match.end()
        if match.group("header") is None:
            continue
        try:
            block = _BlockReader(source, parse_expression).read(match.start(), match.end())
        except (CompileError, _NotAnItemLine):  # Lark reads the block, and says any fault in its words
            block = None
        if block is not None:
            blocks[block.start] = block
            position = block.end
    return blocks


def read_item_line(source: SourceFile, parse_expression: ExpressionParser, start: int) -> Optional[ast.ItemNode]:
    """The item without children whose key starts at `start`, as a block read here has it; None
    where its line is not read here (an editor then parses its whole statement again)."""
    reader = _BlockReader(source, parse_expression)
    head = reader.patterns["plain_line"].match(source.text, start)
    if head is None or not reader._plain_key(head.group("key")):
        head = reader.patterns["line"].match(source.text, start)
        if head is None or head.group("key") is None or not reader._plain_key(head.group("key")):
            return None
    try:
        return reader._node(head, (), head.end())
    except (CompileError, _NotAnItemLine):
        return None


class _BlockReader:
    def __init__(self, source: SourceFile, parse_expression: ExpressionParser):
        self.source, self.parse_expression = source, parse_expression
        self.patterns = _patterns()
        self.comments: list[ast.Comment] = []

    def read(self, start: int, body_start: int) -> Optional[ItemBlock]:
        """The block whose body starts at `body_start`, or None where it holds anything but item lines."""
        text, gap, line_pattern = self.source.text, self.patterns["gap"], self.patterns["line"]
        plain_line = self.patterns["plain_line"]
        siblings: list[list[ast.ItemNode]] = [[]]  # the nodes read so far inside each open brace
        parents: list[re.Match] = []  # the item line before each open brace but the block's own
        line: Optional[re.Match] = None  # an item line that may still get children
        position = body_start
        while True:
            space = gap.match(text, position)
            if "#" in space.group():
                self._keep_comments(space)
            plain = plain_line.match(text, space.end())
            if plain is not None and self._plain_key(plain.group("key")):
                if line is not None:
                    siblings[-1].append(self._node(line, (), line.end()))
                line, position = plain, plain.end()
                continue
            found = line_pattern.match(text, space.end())
            if found is None:
                return None
            if found.group("open") is not None:
                if line is None:
                    return None
                parents.append(line)
                siblings.append([])
                line = None
            elif found.group("close") is not None:
                if line is not None:
                    siblings[-1].append(self._node(line, (), line.end()))
                line = None
                children = tuple(siblings.pop())
                if not parents:
                    return ItemBlock(start, body_start, found.end(), children, tuple(self.comments))
                siblings[-1].append(self._node(parents.pop(), children, found.end()))
            else:
                if not self._plain_key(found.group("key")):
                    return None
                if line is not None:
                    siblings[-1].append(self._node(line, (), line.end()))
                line = found
            position = found.end()

    def _keep_comments(self, gap: re.Match) -> None:
        for comment in self.patterns["comment"].finditer(self.source.text, gap.start(), gap.end()):
            self.comments.append(ast.Comment(comment.group(), span=self.source.span(comment.start(), comment.end())))

    @staticmethod
    def _plain_key(key: str) -> bool:
        """A key Lark's lexer surely reads as a code or a name: not a keyword, nor one's prefix (`notes`)."""
        return key[0].isdigit() or (key not in keywords() and key not in ("year", "unit")
                                    and not key.startswith(("reason", "note")))

    def _node(self, head: re.Match, children: tuple, end: int) -> ast.ItemNode:
        if head.re is self.patterns["plain_line"]:
            node = self._plain_node(head, children, end)
            if node is not None:
                return node
            head = self.patterns["line"].match(self.source.text, head.start())
        key, label, values_text, attributes = head.group("key", "label", "values", "attributes")
        start = head.start("key")
        span = self.source.span(start, end)
        if values_text is None:
            values = ()
        elif self.source.text.find("\n", start, head.end("values")) < 0:
            values = self._plain_values(head, span) or self._values(head)
        else:
            values = self._values(head)
        return ast.ItemNode(key, key[0].isdigit(), quoted_text(label) if label is not None else None, values,
                            tuple(self._attributes(head)) if attributes else (), children, span=span)

    def _plain_node(self, head: re.Match, children: tuple, end: int) -> Optional[ast.ItemNode]:
        """An item whose line the plain pattern read; None where a number may be out of range (the
        general reader then says so as Lark does). Most lines of a large report come here: the groups'
        places are taken all at once, and the spans are made from the line's start."""
        text, path, places = self.source.text, self.source.path, head.regs
        start = places[0][0]
        line, line_start = self.source.line_start(start)
        values = []
        for group in range(3, 3 + 2 * PLAIN_VALUES, 2):
            first, last = places[group + 1]
            if first < 0:
                break
            if last - first > MAX_DECIMALS + 2:
                return None
            digits = text[first:last]
            dot = digits.find(".")
            literal = ast.Number(Decimal(digits), last - first - dot - 1 if dot >= 0 else 0, None,
                                 span=Span(path, first, last, line, first - line_start + 1))
            minus = places[group][0]
            if minus >= 0:
                literal = ast.Neg(literal, span=Span(path, minus, last, line, minus - line_start + 1))
            values.append(literal)
        key = text[start:places[1][1]]
        label_start, label_end = places[2]
        return ast.ItemNode(key, key[0].isdigit(), text[label_start + 1:label_end - 1] if label_start >= 0 else None,
                            tuple(values), (), children,
                            span=Span(path, start, end, line, start - line_start + 1))

    def _plain_values(self, head: re.Match, span: Span) -> Optional[tuple]:
        """Values that are all plain numbers (perhaps negative) on the line of `span`, which most item
        lines have, with their spans taken from the line's; None for any other values. Once the line
        is known to hold only such values, string methods find them (a regular expression a value
        costs more than all the rest)."""
        values_start, values_end = head.span("values")
        if self.patterns["plain_values"].fullmatch(self.source.text, values_start, values_end) is None:
            return None
        path, line, line_start = span.path, span.line, span.start - span.column + 1
        values, offset = [], values_start
        for piece in head.group("values").split(","):
            signed = piece.lstrip(" \t")
            unsigned = signed[1:].lstrip(" \t") if signed.startswith("-") else signed
            digits = unsigned.rstrip(" \t")
            if len(digits) > MAX_DECIMALS + 2:  # perhaps out of range: literals.py says so
                return None
            first = offset + len(piece) - len(unsigned)
            last = first + len(digits)
            dot = digits.find(".")
            literal = ast.Number(Decimal(digits), len(digits) - dot - 1 if dot >= 0 else 0, None,
                                 span=Span(path, first, last, line, first - line_start + 1))
            if unsigned is not signed:
                minus = offset + len(piece) - len(signed)
                literal = ast.Neg(literal, span=Span(path, minus, last, line, minus - line_start + 1))
            values.append(literal)
            offset += len(piece) + 1
        return tuple(values)

    def _values(self, head: re.Match) -> tuple:
        pattern, (position, end) = self.patterns["value"], head.span("values")
        values = []
        while True:
            value = pattern.match(self.source.text, position, end)
            if value is None:
                raise _NotAnItemLine  # an expression, or an empty value: Lark reads the block
            values.append(self._value(value))
            if value.group("comma") is None:
                return tuple(values)
            position = value.end()

    def _value(self, value: re.Match):
        span = self.source.span
        blank, placeholder, string, percent, digits, unit = value.group(*_VALUE_KINDS)
        if digits is not None:
            digits_span = span(*value.span("number"))
            literal = number_node(digits, unit, span(value.start("number"), value.end("unit")) if unit else digits_span,
                                  digits_span)
        elif percent is not None:
            literal = percent_node(percent, span(*value.span("percent")))
        elif blank is not None:
            return ast.Blank(span=span(*value.span("blank")))
        elif placeholder is not None:
            unit = value.group("placeholder_unit")
            end = value.end("placeholder_unit") if unit else value.end("placeholder")
            return ast.Placeholder(unit, span=span(value.start("placeholder"), end))
        else:
            return self._text(string, value.start("string"))
        if value.group("minus"):
            return ast.Neg(literal, span=span(value.start("minus"), literal.span.end))
        return literal

    def _text(self, token: str, start: int):
        """A quoted value as Lark's transformer has it: a template where it holds a {…}, else a text."""
        if "{" in token:
            return self._template(token, start)
        return ast.Text(quoted_text(token), span=self.source.span(start, start + len(token)))

    def _template(self, token: str, start: int) -> ast.Template:
        return TemplateParser(self.source, token[1:-1], start + 1, self.parse_expression).parse()

    def _attributes(self, head: re.Match):
        for attribute in self.patterns["attribute"].finditer(self.source.text, *head.span("attributes")):
            if attribute.group(2) == "?":  # `reason ?`: still to write
                yield attribute.group(1), ast.Placeholder(span=self.source.span(attribute.start(1), attribute.end(2)))
            else:
                yield attribute.group(1), self._template(attribute.group(2), attribute.start(2))
