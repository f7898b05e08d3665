"""The inside of a narrative string -> a Template node: literal text, {expr[:fmt]}, {if}/{elif}/{else}/{end}, {for}."""

from __future__ import annotations

import re
from typing import Callable, Optional

from . import ast
from .diagnostics import CompileError, error
from .source import SourceFile, Span
from .syntax_rules import ESCAPES, check_format, keywords, unescape

ExpressionParser = Callable[[SourceFile, str, int], ast.Expr]


class TemplateParser:
    """Parses the inside of a narrative string: literal text, {expr[:fmt]}, {if}/{elif}/{else}/{end}, {for}.

    Line breaks inside the string are joined with the surrounding indentation removed, since
    Chinese prose has no spaces between words; offsets map every piece back into the file.
    """

    _FOR = re.compile(r"for\s+([^\W\d]\w*)\s+in\s+(.*?)(?:\s+if\s+(.*?))?(?:\s+sep\s+('(?:[^'\\]|\\.)*'))?\s*$", re.S)

    def __init__(self, source: SourceFile, raw: str, base: int, parse_expression: ExpressionParser):
        self.source, self.raw, self.base = source, raw, base
        self.parse_expression = parse_expression

    def span(self, start: int, end: int) -> Span:
        return self.source.span(self.base + start, self.base + end)

    def fail(self, message: str, start: int, end: int, *help: str) -> None:
        raise CompileError([error("RD002", message, self.span(start, end), *help)])

    def parse(self) -> ast.Template:
        parts, position, closer = self._parse_until(0, ())
        if closer is not None:
            self.fail(f"'{{{closer[0]}}}' without an open '{{if}}' or '{{for}}'", closer[1], closer[2])
        return ast.Template(tuple(parts), span=self.span(0, len(self.raw)))

    def _parse_until(self, position: int, closers: tuple[str, ...]):
        parts: list = []
        literal: list[str] = []
        literal_start = position
        while position < len(self.raw):
            ch = self.raw[position]
            if ch == "{" and self.raw.startswith("{{", position):
                literal.append("{")
                position += 2
            elif ch == "}" and self.raw.startswith("}}", position):
                literal.append("}")
                position += 2
            elif ch == "}":
                self.fail("unmatched '}' in text", position, position + 1, "write '}}' for a literal brace")
            elif ch == "{":
                self._flush(parts, literal, literal_start, position)
                inner_start = position + 1
                inner_end = self._find_close(inner_start)
                inner = self.raw[inner_start:inner_end]
                word = inner.strip().split(" ", 1)[0]
                if word in closers:
                    return parts, inner_end + 1, (word, position, inner_end + 1, inner)
                position = self._directive(parts, inner, inner_start, inner_end, closers)
                literal, literal_start = [], position
            elif ch == "\n":
                while literal and literal[-1] in " \t\r":
                    literal.pop()
                position += 1
                while position < len(self.raw) and self.raw[position] in " \t\r":
                    position += 1
            elif ch == "\\" and position + 1 < len(self.raw):
                literal.append(ESCAPES.get(self.raw[position + 1], self.raw[position : position + 2]))
                position += 2
            else:
                literal.append(ch)
                position += 1
        self._flush(parts, literal, literal_start, position)
        return parts, position, None

    def _flush(self, parts: list, literal: list[str], start: int, end: int) -> None:
        if literal:
            parts.append(ast.Literal("".join(literal), span=self.span(start, end)))
            literal.clear()

    def _find_close(self, position: int) -> int:
        quote = None
        for index in range(position, len(self.raw)):
            ch = self.raw[index]
            if quote:
                if ch == quote:
                    quote = None
            elif ch == "'":
                quote = ch
            elif ch == "}":
                return index
            elif ch == "{":
                break
        self.fail("'{' is not closed in this text", position - 1, position, "close the expression with '}', or write '{{' for a literal brace")

    def _directive(self, parts, inner, start, end, closers) -> int:
        stripped = inner.strip()
        if stripped.startswith("if ") or stripped == "if":
            return self._if_chain(parts, inner, start, end, closers)
        if stripped.startswith("for "):
            return self._loop(parts, inner, start, end)
        if stripped in ("else", "end") or stripped.startswith("elif "):
            self.fail(f"'{{{stripped.split(' ', 1)[0]}}}' without an open '{{if}}'", start - 1, end + 1)
        expr_text, fmt = split_format(inner)
        expr = self._expr(expr_text, start)
        if fmt is not None:
            check_format(fmt.strip(), self.span(start, end))
            fmt = fmt.strip()
        parts.append(ast.Interp(expr, fmt, span=self.span(start - 1, end + 1)))
        return end + 1

    def _expr(self, text: str, start: int) -> ast.Expr:
        offset = len(text) - len(text.lstrip())
        if not text.strip():
            self.fail("empty '{}' in text", start - 1, start + 1, "put an expression inside the braces, e.g. {year}")
        simple = simple_reference(self.source, text.strip(), self.base + start + offset)
        if simple is not None:
            return simple
        return self.parse_expression(self.source, text.strip(), self.base + start + offset)

    def _if_chain(self, parts, inner, start, end, closers) -> int:
        branches = []
        condition_text = inner.strip()[2:]
        condition = self._expr(condition_text, start + inner.index("if") + 2)
        position = end + 1
        chain_start = start - 1
        while True:
            body, position, closer = self._parse_until(position, ("elif", "else", "end"))
            if closer is None:
                self.fail("'{if}' is not closed: '{end}' is missing", chain_start, start + len(inner) + 1)
            branches.append((condition, ast.Template(tuple(body))))
            word, c_start, c_end, c_inner = closer
            if word == "end":
                break
            if word == "else":
                condition = None
            else:
                if condition is None:
                    self.fail("'{elif}' after '{else}'", c_start, c_end)
                condition = self._expr(c_inner.strip()[4:], c_start + 1 + c_inner.index("elif") + 4)
            if word == "else" and branches[-1][0] is None:
                self.fail("a second '{else}'", c_start, c_end)
        parts.append(ast.IfChain(tuple(branches), span=self.span(chain_start, position)))
        return position

    def _loop(self, parts, inner, start, end) -> int:
        match = self._FOR.match(inner.strip())
        if not match:
            self.fail("malformed '{for}'", start - 1, end + 1, "write {for x in items.leaves sep '、'}…{end}")
        variable, sequence_text, condition_text, separator = match.groups()
        sequence = self._expr(sequence_text, start + inner.index(sequence_text))
        condition = None
        if condition_text:
            condition = self._expr(condition_text, start + inner.rindex(condition_text))
        body, position, closer = self._parse_until(end + 1, ("end",))
        if closer is None:
            self.fail("'{for}' is not closed: '{end}' is missing", start - 1, end + 1)
        sep = unescape(separator[1:-1]) if separator else ""
        parts.append(ast.Loop(variable, sequence, condition, sep, ast.Template(tuple(body)),
                              span=self.span(start - 1, position)))
        return position


SIMPLE_REFERENCE = re.compile(r"([^\W\d]\w*)(?:@([^\W\d]\w*|[0-9]+))?((?:\.[^\W\d]\w*)*)")


def simple_reference(source: SourceFile, text: str, base: int) -> Optional[ast.Expr]:
    """`name`, `name@period` or `name.attr.attr` — most of what templates print — built directly,
    with the spans the grammar would give, instead of a full parse (a third of a report's parse time)."""
    match = SIMPLE_REFERENCE.fullmatch(text)
    if match is None:
        return None
    name, period, attributes = match.groups()
    words = [name, *attributes.split(".")[1:]]
    reserved = keywords()
    if any(word in reserved for word in words) or (period is not None and period in reserved):
        return None
    end = base + len(name) + (len(period) + 1 if period is not None else 0)
    expr: ast.Expr = ast.Name(name, period, span=source.span(base, end))
    for attribute in words[1:]:
        end += 1 + len(attribute)
        expr = ast.Attr(expr, attribute, span=source.span(base, end))
    return expr


def split_format(inner: str) -> tuple[str, str | None]:
    """Split '{expr:fmt}' at the last top-level colon (colons inside quotes do not count)."""
    quote, depth, cut = None, 0, None
    for index, ch in enumerate(inner):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == ":" and depth == 0:
            cut = index
    if cut is None:
        return inner, None
    return inner[:cut], inner[cut + 1 :]
