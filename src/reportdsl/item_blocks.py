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
from typing import Optional

import attrs

from . import ast
from .diagnostics import CompileError
from .literals import number_node, percent_node
from .source import SourceFile
from .syntax_rules import keywords, quoted_text, terminal_pattern
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
    return {
        # what Lark's lexer reads as one token is skipped whole, so an `items` inside a text is never taken
        "scan": re.compile(rf"(?:{skipped})|(?P<header>{header})"),
        "gap": re.compile(rf"(?:[ \t\f\r\n]+|{terminal_pattern('COMMENT')})*"),
        "comment": re.compile(terminal_pattern("COMMENT")),
        "head": re.compile(rf"(?P<key>[0-9]+(?![0-9A-Za-z_.%])|{name})(?:{WS}(?P<label>{string}))?"
                           rf"(?:{WS}\((?P<values>(?:[^()\"'#{{}}]|{string})*)\))?"
                           rf"(?P<attributes>(?:{WS}(?:reason|note)(?!\w){WS}(?:{string}|\?))*)"),
        "attribute": re.compile(rf"{WS}(reason|note){WS}({string}|\?)"),
        "value": re.compile(rf"{WS}(?:(?P<blank>-)|(?P<placeholder>\?)(?:{WS}(?P<placeholder_unit>{unit}))?"
                            rf"|(?P<string>{string})|(?P<minus>-)?{WS}(?:(?P<percent>{terminal_pattern('PERCENT')})"
                            rf"|(?P<number>{number})(?:{WS}(?P<unit>{unit}))?)){WS}(?:(?P<comma>,)|\Z)"),
    }


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


class _BlockReader:
    def __init__(self, source: SourceFile, parse_expression: ExpressionParser):
        self.source, self.parse_expression = source, parse_expression
        self.patterns = _patterns()
        self.comments: list[ast.Comment] = []

    def read(self, start: int, body_start: int) -> Optional[ItemBlock]:
        """The block whose body starts at `body_start`, or None where it holds anything but item lines."""
        text, head_pattern = self.source.text, self.patterns["head"]
        siblings: list[list[ast.ItemNode]] = [[]]  # the nodes read so far inside each open brace
        parents: list[re.Match] = []  # the item line before each open brace but the block's own
        line: Optional[re.Match] = None  # an item line that may still get children
        position = body_start
        while True:
            position = self._gap(position)
            ch = text[position:position + 1]
            if ch == "{" and line is not None:
                parents.append(line)
                siblings.append([])
                line = None
            elif ch == "}":
                if line is not None:
                    siblings[-1].append(self._node(line, (), line.end()))
                line = None
                children = tuple(siblings.pop())
                if not parents:
                    return ItemBlock(start, body_start, position + 1, children, tuple(self.comments))
                siblings[-1].append(self._node(parents.pop(), children, position + 1))
            else:
                head = head_pattern.match(text, position)
                if head is None or not self._plain_key(head.group("key")):
                    return None
                if line is not None:
                    siblings[-1].append(self._node(line, (), line.end()))
                line, position = head, head.end()
                continue
            position += 1

    def _gap(self, position: int) -> int:
        """Past the white space and comments at `position`, keeping the comments."""
        gap = self.patterns["gap"].match(self.source.text, position)
        if "#" in gap.group():
            for comment in self.patterns["comment"].finditer(self.source.text, gap.start(), gap.end()):
                self.comments.append(ast.Comment(comment.group(), span=self.source.span(comment.start(), comment.end())))
        return gap.end()

    @staticmethod
    def _plain_key(key: str) -> bool:
        """A key Lark's lexer surely reads as a code or a name: not a keyword, nor one's prefix (`notes`)."""
        return key[0].isdigit() or (key not in keywords() and key not in ("year", "unit")
                                    and not key.startswith(("reason", "note")))

    def _node(self, head: re.Match, children: tuple, end: int) -> ast.ItemNode:
        label = head.group("label")
        values = self._values(head) if head.group("values") is not None else ()
        attributes = tuple(self._attributes(head)) if head.group("attributes") else ()
        key = head.group("key")
        return ast.ItemNode(key, key[0].isdigit(), quoted_text(label) if label is not None else None, values,
                            attributes, children, span=self.source.span(head.start(), end))

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
