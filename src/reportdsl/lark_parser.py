"""Lark: the grammar's parser, the tree -> AST transformer, operator precedence, and syntax errors
said in words. The only module that knows Lark; parser.py imports it when a file must be parsed."""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Iterator, Optional

import attrs
import lark
from lark import Token, Transformer, v_args

from . import ast
from .diagnostics import CompileError, Diagnostic, Severity, error
from .item_blocks import ItemBlock, blanked, read_item_blocks
from .literals import number_node, percent_node
from .parse_cache import cache_folder
from .source import SourceFile, Span
from .syntax_rules import (COMPARISON, FIRST_YEAR, LAST_YEAR, MAX_EXPRESSION_DEPTH, OPERATOR_PRECEDENCE,
                           check_format, forbidden_character, grammar_text, nesting_problem, quoted_text)
from .template_parser import TemplateParser


RETITLE = ("retitle",)  # the mark of a part or section written without a body


class _CommentCollector:
    """Lark's lexer hands every comment token here (one parser serves every parse); each parse
    collects into a list of its own, so that a `#` inside a template's {…}, whose expression is
    parsed while the file is being transformed, never lands among the file's comments."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []

    def __call__(self, token: Token) -> Token:
        self.tokens.append(token)
        return token

    @contextlib.contextmanager
    def collecting(self) -> Iterator[list[Token]]:
        outer, self.tokens = self.tokens, []
        try:
            yield self.tokens
        finally:
            self.tokens = outer


_comments = _CommentCollector()


def grammar_cache(text: str) -> Optional[str]:
    """Where the compiled parse tables are kept between runs, named by a hash of the grammar and
    Lark's version, so that a changed grammar or Lark is never served stale tables."""
    import hashlib

    base = cache_folder()
    if base is None:
        return None
    digest = hashlib.sha256(f"{lark.__version__}\n{text}".encode()).hexdigest()[:20]
    return str(base / f"grammar-{digest}.lark")


@functools.lru_cache(maxsize=1)
def _lark() -> lark.Lark:
    text = grammar_text()
    options = dict(parser="lalr", start=["start", "expr"], propagate_positions=True, maybe_placeholders=False,
                   lexer_callbacks={"COMMENT": _comments})
    cache = grammar_cache(text)
    if cache is not None:
        try:
            return lark.Lark(text, cache=cache, **options)
        except Exception:  # noqa: BLE001 - an unreadable or unwritable cache only costs time
            pass
    return lark.Lark(text, **options)


# ---- tree -> AST ---------------------------------------------------------------------------


@attrs.frozen
class Clause:
    """A part of a statement handed up to the statement's own method (`year 2023`, `if …`, an else
    block, a table's note), tagged, so that the statement takes its parts by tag and not by shape."""

    tag: str
    value: object


def clause(children, tag: str, default=None):
    return next((c.value for c in children if isinstance(c, Clause) and c.tag == tag), default)


def clauses(children, tag: str) -> tuple:
    return tuple(c.value for c in children if isinstance(c, Clause) and c.tag == tag)


def unclaused(children) -> tuple:
    return tuple(c for c in children if not isinstance(c, Clause))


@v_args(meta=True)
class _ToAst(Transformer):
    def __init__(self, source: SourceFile, base: int = 0, item_blocks: Optional[dict[int, ItemBlock]] = None):
        super().__init__()
        self.source, self.base = source, base
        self.item_blocks = dict(item_blocks or {})  # read without Lark (item_blocks.py), taken as found

    def _span(self, meta) -> Span | None:
        if getattr(meta, "empty", True):
            return None
        return self.source.span(self.base + meta.start_pos, self.base + meta.end_pos)

    def _tspan(self, token: Token) -> Span:
        return self.source.span(self.base + token.start_pos, self.base + token.end_pos)

    def _string(self, token: Token) -> str:
        return quoted_text(token)

    def _template(self, token: Token) -> ast.Template:
        return TemplateParser(self.source, token[1:-1], self.base + token.start_pos + 1, parse_expression).parse()

    # expressions
    def number(self, meta, children):
        token = children[0]
        unit = str(children[1]) if len(children) > 1 else None
        return number_node(str(token), unit, self._span(meta), self._tspan(token))

    def percent(self, meta, children):
        return percent_node(str(children[0]), self._span(meta))

    def string(self, meta, children):
        token = children[0]
        if token.type == "STRING" and "{" in token:
            return self._template(token)
        return ast.Text(self._string(token), span=self._span(meta))

    def name(self, meta, children):
        ref = children[0]
        return ast.Name(ref.name, ref.period, span=self._span(meta))

    def ref(self, meta, children):
        period = str(children[1]) if len(children) > 1 else None
        return ast.Ref(str(children[0]), period, span=self._span(meta))

    def period(self, meta, children):
        return children[0]

    def attr(self, meta, children):
        return ast.Attr(children[0], str(children[1]), span=self._span(meta))

    def index(self, meta, children):
        return ast.Index(children[0], str(children[1]), span=self._span(meta))

    def call(self, meta, children):
        return ast.Call(str(children[0]), tuple(children[1:]), span=self._span(meta))

    def comprehension(self, meta, children):
        function, element, variable, sequence, *condition = children
        return ast.Comprehension(str(function), element, str(variable), sequence,
                                 condition[0] if condition else None, span=self._span(meta))

    def sequence(self, meta, children):
        return Climber(self, children).expression(0)

    def joined(self, first, last) -> Span:
        return self.source.span(first.span.start, last.span.end)

    def neg(self, meta, children):
        return ast.Neg(children[0], span=self._span(meta))

    def blank(self, meta, children):
        return ast.Blank(span=self._span(meta))

    def placeholder(self, meta, children):
        return ast.Placeholder(str(children[0]) if children else None, span=self._span(meta))

    # header and definitions
    def start(self, meta, children):  # noqa: D102 - the header is a report's or a layout's
        return ast.Report(children[0], tuple(children[1:]), span=self._span(meta))

    def header(self, meta, children):
        options = children[1:]
        tags = [option.tag for option in options if isinstance(option, Clause)]
        repeated = next((tag for index, tag in enumerate(tags) if tag in tags[:index]), None)
        if repeated is not None:
            raise CompileError([error("RD102", f"the header states '{repeated}' twice", self._span(meta),
                                      f"state {repeated} once")])
        layout, layout_span = clause(options, "layout", (None, None))
        return ast.Header(self._string(children[0]), clause(options, "year"), clause(options, "unit"),
                          layout, clause(options, "prior"), rounding=clause(options, "rounding"),
                          layout_span=layout_span, span=self._span(meta))

    def opt_year(self, meta, children):
        token = str(children[0])
        if not token.isdigit() or not FIRST_YEAR <= int(token) <= LAST_YEAR:
            raise CompileError([error("RD003", f"'{token[:20]}' is not a year", self._tspan(children[0]),
                                      f"a year is a whole number from {FIRST_YEAR} to {LAST_YEAR}, e.g. year 2023")])
        return Clause("year", int(token))

    def opt_unit(self, meta, children):
        return Clause("unit", str(children[0]))

    def opt_rounding(self, meta, children):
        return Clause("rounding", str(children[0]))

    def opt_prior(self, meta, children):
        return Clause("prior", ast.Ref(self._string(children[0]), None, span=self._tspan(children[0])))

    def opt_layout(self, meta, children):
        token = children[0]
        name = self._string(token) if token.type == "STRING" else str(token)
        return Clause("layout", (name, self._tspan(token)))

    def layout_header(self, meta, children):
        name = self._string(children[0])
        title = self._string(children[1]) if len(children) > 1 and children[1].type == "STRING" else None
        unit = str(children[-1]) if children[-1].type == "UNIT" else None
        return ast.LayoutHeader(name, title, unit, span=self._span(meta))

    def fact(self, meta, children):
        within = children[2] if len(children) > 2 else None
        return ast.Fact(children[0], children[1], within, span=self._span(meta))

    def within(self, meta, children):
        return children[0]

    def let(self, meta, children):
        fmt = children[2] if len(children) > 2 else None
        return ast.Let(children[0], children[1], fmt, span=self._span(meta))

    def fmt_clause(self, meta, children):
        check_format(str(children[0]), self._tspan(children[0]))
        return str(children[0])

    def check(self, meta, children):
        expr, *options, message = children
        rounding, severity = self._check_options(options)
        return ast.Check(expr, severity, self._string(message), rounding, span=self._span(meta))

    @staticmethod
    def _check_options(tokens) -> tuple[Optional[str], str]:
        """ROUNDING? SEVERITY? of a check or a stated block: (rounding or None, severity)."""
        rounding = next((str(t) for t in tokens if isinstance(t, Token) and t.type == "ROUNDING"), None)
        severity = Severity(next((str(t) for t in tokens if isinstance(t, Token) and t.type == "SEVERITY"), "error"))
        return rounding, severity

    # a published document's figures
    def stated(self, meta, children):
        entries = tuple(c for c in children if isinstance(c, ast.StatedEntry))
        rounding, severity = self._check_options(children)
        return ast.Stated(clause(children, "page"), clause(children, "place"), severity, entries, rounding,
                          span=self._span(meta))

    def stated_page(self, meta, children):
        token = children[0]
        if not str(token).isdigit() or len(str(token)) > 6:
            raise CompileError([error("RD003", f"a page number is a whole number, not '{token}'", self._tspan(token))])
        return Clause("page", int(str(token)))

    def stated_table(self, meta, children):
        return Clause("place", ("table", self._string(children[0])))

    def stated_section(self, meta, children):
        return Clause("place", ("section", self._string(children[0])))

    def stated_entry(self, meta, children):
        expr, literal, *where = children
        return ast.StatedEntry(expr, literal, clause(where, "row"), clause(where, "column"), clause(where, "sentence"),
                               span=self._span(meta))

    def negative_number(self, meta, children):
        number = self.number(meta, children)
        return ast.Neg(attrs.evolve(number, span=self._tspan_from(children[0], children[-1])), span=self._span(meta))

    def negative_percent(self, meta, children):
        percent = self.percent(meta, children)
        return ast.Neg(attrs.evolve(percent, span=self._tspan(children[0])), span=self._span(meta))

    def _tspan_from(self, first: Token, last: Token) -> Span:
        return self.source.span(self.base + first.start_pos, self.base + last.end_pos)

    def stated_text(self, meta, children):
        return ast.Text(self._string(children[0]), span=self._span(meta))

    def classification(self, meta, children):
        return ast.Classification(tuple(children), span=self._span(meta))

    def class_entry(self, meta, children):
        return ast.ClassEntry(str(children[0]), self._string(children[1]), span=self._span(meta))

    def where_row(self, meta, children):
        return Clause("row", self._string(children[0]))

    def where_column(self, meta, children):
        return Clause("column", self._string(children[0]))

    def where_sentence(self, meta, children):
        return Clause("sentence", self._string(children[0]))

    def items(self, meta, children):
        name = str(children[0])
        rest = children[1:]
        title = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            title, rest = self._string(rest[0]), rest[1:]
        measures = tuple(str(c) for c in rest if isinstance(c, Token))
        nodes = tuple(c for c in rest if isinstance(c, ast.ItemNode))
        block = self.item_blocks.get(self.base + meta.start_pos)
        if block is not None and not nodes and self.base + meta.end_pos == block.end:
            nodes = self.item_blocks.pop(block.start).nodes
        return ast.Items(name, title, measures, nodes, span=self._span(meta))

    def item_node(self, meta, children):
        key, *rest = children
        label = next((self._string(c) for c in rest if isinstance(c, Token)), None)
        values, kids = clause(rest, "values", ()), clause(rest, "children", ())
        attributes = tuple(c for c in unclaused(rest) if not isinstance(c, Token))
        is_code = key.type == "NUMBER"
        if is_code and not str(key).isdigit():
            raise CompileError([error("RD003", f"a classification code is whole digits, not '{key}'", self._tspan(key))])
        return ast.ItemNode(str(key), is_code, label, values, attributes, kids, span=self._span(meta))

    def item_values(self, meta, children):
        return Clause("values", tuple(children))

    def item_attr(self, meta, children):
        return (str(children[0]), self._template(children[1]))

    def item_attr_unfilled(self, meta, children):
        """`reason ?`: a text still to write (next-year leaves one where last year had one)."""
        keyword = children[0]
        return (str(keyword), ast.Placeholder(span=self._span(meta)))

    def item_children(self, meta, children):
        return Clause("children", tuple(children))

    # document
    def part(self, meta, children):
        name, title, anchor, body = self._heading(children)
        retitle = RETITLE in body
        return ast.Part(title, tuple(s for s in body if s is not RETITLE), name, anchor, span=self._span(meta),
                        retitle=retitle)

    def section(self, meta, children):
        plain = isinstance(children[0], Token) and children[0].type == "PLAIN"
        name, title, anchor, body = self._heading(children[1:] if plain else children)
        retitle = RETITLE in body
        return ast.Section(title, plain, tuple(s for s in body if s is not RETITLE), name, anchor,
                           span=self._span(meta), retitle=retitle)

    def retitle(self, meta, children):
        return RETITLE

    def _heading(self, children):
        """[NAME] STRING [anchor] body… of a part or section."""
        name = None
        if isinstance(children[0], Token) and children[0].type == "NAME":
            name, children = str(children[0]), children[1:]
        title, rest = self._template(children[0]), children[1:]
        return name, title, clause(rest, "anchor"), unclaused(rest)

    def anchor(self, meta, children):
        return Clause("anchor", (str(children[0]), str(children[1])))

    def para(self, meta, children):
        plain = any(isinstance(c, Token) and c.type == "PLAIN" for c in children)
        name = next((str(c) for c in children if isinstance(c, Token) and c.type == "NAME"), None)
        return ast.Para(self._template(children[-1]), plain, name, span=self._span(meta))

    def text_block(self, meta, children):
        return ast.TextBlock(self._paragraphs(children[0]), span=self._span(meta))

    def _paragraphs(self, token: Token) -> tuple[ast.Template, ...]:
        body = token[3:-3]
        start = token.start_pos + 3
        templates = []
        for match in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", body):
            if match.group().strip():
                templates.append(TemplateParser(self.source, match.group().strip(),
                                                self.base + start + match.start() + len(match.group()) - len(match.group().lstrip()),
                                                parse_expression).parse())
        return tuple(templates)

    def list_block(self, meta, children):
        style = None
        if children and isinstance(children[0], Token):
            style, children = self._list_style(children[0]), children[1:]
        return ast.ListBlock(style, tuple(children), span=self._span(meta))

    def _list_style(self, token: Token) -> str:
        style = self._string(token)
        if not re.search(r"[0-9]|[一二三四五六七八九十]", style):
            raise CompileError([error("RD003", f"list style '{style}' has no number in it", self._tspan(token),
                                      "write the first number as it should look: \"1.\", \"（1）\", \"一、\", \"（五）\" (which starts at 5)")])
        return style

    def for_block(self, meta, children):
        variable, sequence, condition, body = self._filtered(children)
        return ast.ForBlock(variable, sequence, condition, tuple(body), span=self._span(meta))

    def filter(self, meta, children):
        return Clause("filter", children[0])

    @staticmethod
    def _filtered(children):
        variable, sequence, *rest = children
        return str(variable), sequence, clause(rest, "filter"), unclaused(rest)

    def if_block(self, meta, children):
        condition, *body = unclaused(children)
        return ast.IfBlock(condition, tuple(body), clause(children, "else", ()), span=self._span(meta))

    def else_block(self, meta, children):
        return Clause("else", tuple(children))

    # tables and charts
    def table(self, meta, children):
        name, title, *parts = children
        for tag, said in (("above", "line over it (above)"), ("empty", "empty-table note (empty)")):
            if len(clauses(parts, tag)) > 1:
                raise CompileError([error("RD122", f"table {name} states its {said} twice", clauses(parts, tag)[1].span,
                                          f"a table has one {said}: keep one")])
        return ast.Table(str(name), self._template(title), clause(parts, "columns", ()), clauses(parts, "body"),
                         clauses(parts, "note"), clause(parts, "empty"), clause(parts, "above"),
                         span=self._span(meta))

    def columns(self, meta, children):
        return Clause("columns", tuple(children))

    def column(self, meta, children):
        return ast.Column(self._string(children[0]), tuple(children[1:]))

    def side(self, meta, children):
        return Clause("body", ast.Side(clauses(children, "body"), span=self._span(meta)))

    def row(self, meta, children):
        return Clause("body", ast.Row(tuple(self._cell(c) for c in children), span=self._span(meta)))

    def rows(self, meta, children):
        variable, sequence, condition, cells = self._filtered(children)
        return Clause("body", ast.Rows(variable, sequence, condition, tuple(self._cell(c) for c in cells), span=self._span(meta)))

    def formatted_cell(self, meta, children):
        check_format(str(children[1]), self._tspan(children[1]))
        return ast.Cell(children[0], str(children[1]), span=self._span(meta))

    def _cell(self, value):
        if isinstance(value, ast.Cell):
            return value
        return ast.Cell(value, None, span=getattr(value, "span", None))

    def table_above(self, meta, children):
        return Clause("above", ast.TableAbove(clause(children, "left"), clause(children, "right"), span=self._span(meta)))

    def above_left(self, meta, children):
        return Clause("left", self._template(children[0]))

    def above_right(self, meta, children):
        return Clause("right", self._template(children[0]))

    def table_note(self, meta, children):
        return Clause("note", self._template(children[0]))

    def empty_note(self, meta, children):
        return Clause("empty", self._template(children[0]))

    def chart(self, meta, children):
        kind, name, title, *points = children
        return ast.Chart(str(kind), str(name), self._template(title), tuple(points), span=self._span(meta))

    def chart_point(self, meta, children):
        return ast.ChartPoint(self._template(children[0]), children[1], span=self._span(meta))


# ---- operator precedence ----------------------------------------------------------------------------



class Climber:
    """Groups a flat `operand (operator operand)*` sequence by precedence, left to right."""

    def __init__(self, builder: "_ToAst", items: list):
        self.builder, self.items, self.position = builder, items, 0

    def peek(self):
        return self.items[self.position] if self.position < len(self.items) else None

    def take(self):
        item = self.items[self.position]
        self.position += 1
        return item

    def expression(self, minimum: int):
        left = self.prefixed()
        while True:
            operator = self.peek()
            if not isinstance(operator, Token) or OPERATOR_PRECEDENCE[str(operator)] < minimum:
                return left
            self.take()
            level = OPERATOR_PRECEDENCE[str(operator)]
            right = self.expression(level + 1)
            left = self.combine(str(operator), left, right)

    def prefixed(self):
        item = self.take()
        if isinstance(item, Token) and item.type == "NOT":
            operand = self.expression(OPERATOR_PRECEDENCE["not"] + 1)
            return ast.Not(operand, span=self.builder.source.span(self.builder.base + item.start_pos, operand.span.end))
        return item

    def combine(self, operator: str, left, right):
        span = self.builder.joined(left, right)
        if operator == "??":
            return ast.Coalesce(left, right, span=span)
        if operator in ("and", "or"):
            return ast.Logic(operator, left, right, span=span)
        if OPERATOR_PRECEDENCE[operator] == COMPARISON:
            return ast.Compare(operator, left, right, span=span)
        return ast.BinOp(operator, left, right, span=span)


# ---- entry points and syntax errors ---------------------------------------------------------------


def parse_expression(source: SourceFile, text: str, base: int) -> ast.Expr:
    problem = forbidden_character(source, text, base) or nesting_problem(source, text, base)
    if problem is not None:
        raise CompileError([problem])
    try:
        with _comments.collecting():  # a comment inside {…} stays part of the text it is written in
            tree = _lark().parse(text, start="expr")
    except lark.exceptions.LarkError as exc:
        raise CompileError([syntax_diagnostic(exc, source, base, text)]) from None
    refuse_deep_expressions(tree, source, base)
    return _transform(_ToAst(source, base), tree)


def _transform(builder: "_ToAst", tree):
    try:
        return builder.transform(tree)
    except lark.exceptions.VisitError as exc:
        if isinstance(exc.orig_exc, CompileError):
            raise exc.orig_exc from None
        raise


_CHAIN_OPERATORS = {"ADD_OP", "MUL_OP", "COMP_OP", "AND", "OR", "NOT", "COALESCE"}


def refuse_deep_expressions(tree, source: SourceFile, base: int) -> None:
    """RD007 where operators are applied one to the result of another more than MAX_EXPRESSION_DEPTH
    times (a + a + … counts each +, - - - 1 each -): the compiler's later stages walk such a chain
    one level at a time, and a small file must not exhaust them. Walked without recursion."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, lark.Tree):
            continue
        operators = sum(1 for child in node.children if isinstance(child, Token) and child.type in _CHAIN_OPERATORS)
        depth += max(operators, 1) if node.data in ("sequence", "neg", "attr", "index", "call", "comprehension") else 0
        if depth > MAX_EXPRESSION_DEPTH:
            start = base + getattr(node.meta, "start_pos", 0)
            raise CompileError([error("RD007", f"an expression more than {MAX_EXPRESSION_DEPTH} operators deep",
                                      source.span(start, start + 1),
                                      "split it into named figures (let a = …), or add many items with sum(…)")])
        stack.extend((child, depth) for child in node.children)



def parse_text_now(source: SourceFile) -> ast.Report:
    problem = forbidden_character(source, source.text) or nesting_problem(source, source.text)
    if problem is not None:
        raise CompileError([problem])
    blocks = read_item_blocks(source, parse_expression)
    if blocks:
        try:
            report = _parse_file(source, blocks)
        except CompileError:
            report = None  # said below by Lark over the text as written, in its own words
        if report is not None:
            return report
    return _parse_file(source, {})


def _parse_file(source: SourceFile, item_blocks: dict[int, ItemBlock]) -> Optional[ast.Report]:
    """Lark over the file, with the bodies of `item_blocks` blanked out and their nodes put back;
    None if Lark did not find an `items` statement exactly where each of them is."""
    try:
        with _comments.collecting() as tokens:
            tree = _lark().parse(blanked(source.text, item_blocks), start="start")
    except lark.exceptions.LarkError as exc:
        raise CompileError([syntax_diagnostic(exc, source, 0, source.text)]) from None
    refuse_deep_expressions(tree, source, 0)
    builder = _ToAst(source, item_blocks=item_blocks)
    report = _transform(builder, tree)
    if builder.item_blocks:
        return None
    comments = [ast.Comment(str(t), span=source.span(t.start_pos, t.end_pos)) for t in tokens]
    for block in item_blocks.values():
        comments += block.comments
    return attrs.evolve(report, comments=tuple(sorted(comments, key=lambda comment: comment.span.start)))


# Lark's terminal names, said in words.
_TERMINAL_WORDS = {
    "NAME": "a name", "NUMBER": "a number", "PERCENT": "a percentage", "STRING": "a quoted text",
    "LONG_STRING": 'a """…""" text', "SQSTRING": "a quoted text", "UNIT": "a unit such as 万元",
    "FMT": "a format such as .2 or %.1", "COMP_OP": "a comparison", "ADD_OP": "'+' or '-'",
    "MUL_OP": "'*' or '/'", "SEVERITY": "'error' or 'warning'", "ROUNDING": "'exact' or 'interval'", "ITEM_ATTR": "'reason' or 'note'",
    "CHART_KIND": "'bar' or 'pie'", "PLAIN": "'plain'", "$END": "the end of the file",
    "LBRACE": "'{'", "RBRACE": "'}'", "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'",
    "COMMA": "','", "COLON": "':'", "EQUAL": "'='", "DOT": "'.'", "AT": "'@'", "MINUS": "'-'",
    "QMARK": "'?'", "SEMICOLON": "';'", "COALESCE": "'??'", "NOT": "'not'",
}

_FULL_WIDTH = {"，": ",", "（": "(", "）": ")", "：": ":", "“": '"', "”": '"', "＝": "=", "｛": "{", "｝": "}",
               "；": ";", "＋": "+", "－": "-", "％": "%", "．": "."}


_STATEMENTS = {"CHART", "CHECK", "FACT", "FOR", "IF", "ITEMS", "LET", "LIST", "PARA", "PART", "SECTION",
               "STATED", "CLASSIFICATION", "TABLE", "TEXT"}
_OPERATORS = {"ADD_OP", "MUL_OP", "COMP_OP", "AND", "OR", "DOT", "LSQB", "AT", "COALESCE"}


def _words(names) -> str:
    """Lark's expected terminals in words, statements and operators each said once."""
    names = set(names)
    words = []
    if names & _STATEMENTS:
        words.append("a statement (fact, let, check, items, part, section, para, …)")
    if len(names & _OPERATORS) > 2:
        words.append("an operator")
        names -= _OPERATORS
    for name in sorted(names - _STATEMENTS):
        word = _TERMINAL_WORDS.get(name) or (f"'{name.lower()}'" if name.isalpha() else name)
        if word not in words:
            words.append(word)
    if not words:
        return "something else"
    if len(words) > 7:
        words = words[:7] + ["…"]
    return ", ".join(words[:-1]) + (" or " if len(words) > 1 else "") + words[-1]


def _open_block_line(text: str) -> int | None:
    stack: list[int] = []
    line, index, quote = 1, 0, None
    while index < len(text):
        ch = text[index]
        if quote is None and ch == "#":
            index = text.find("\n", index)
            if index < 0:
                break
            continue
        if ch == "\n":
            line += 1
        if quote:
            if ch == "\\":
                index += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            stack.append(line)
        elif ch == "}" and stack:
            stack.pop()
        index += 1
    return stack[-1] if stack else None


def syntax_diagnostic(exc: Exception, source: SourceFile, base: int, text: str) -> Diagnostic:
    if isinstance(exc, lark.exceptions.UnexpectedCharacters):
        return _unexpected_character(exc, source, base, text)
    if isinstance(exc, lark.exceptions.UnexpectedToken) and exc.token.type != "$END":
        return _unexpected_token(exc, source, base)
    if isinstance(exc, (lark.exceptions.UnexpectedEOF, lark.exceptions.UnexpectedToken)):
        return _unexpected_end(exc, source, base, text)
    return error("RD001", f"cannot parse: {exc}", source.span(base, base))


def _full_width_decimal(text: str, at: int):
    """`390，10` or `390。10`: digits on both sides of a full-width comma or stop are a number; what to type."""
    if at >= len(text) or text[at] not in "，。．":
        return None
    before = re.search(r"\d+$", text[:at])
    after = re.match(r"\d+", text[at + 1:])
    return f"{before.group(0)}.{after.group(0)}" if before and after else None


def _in_parentheses(text: str, at: int) -> bool:
    line = text[text.rfind("\n", 0, at) + 1:at]
    return line.rfind("(") > line.rfind(")")


def _unexpected_character(exc, source, base, text) -> Diagnostic:
    position = base + exc.pos_in_stream
    ch = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
    span = source.span(position, position + 1)
    helps = []
    decimal = _full_width_decimal(text, exc.pos_in_stream)
    if decimal is not None:
        helps.append(f"write {decimal}: a number's decimal point is '.'" +
                     (f" (or '{decimal.replace('.', ', ')}' for two values)" if _in_parentheses(text, exc.pos_in_stream) else ""))
    elif ch in _FULL_WIDTH:
        helps.append(f"'{ch}' is a full-width character; the language uses ASCII '{_FULL_WIDTH[ch]}' outside quoted text")
    elif "０" <= ch <= "９":
        helps.append(f"'{ch}' is a full-width digit; write ASCII digits 0-9")
    elif ch == '"':
        helps.append("this quote starts a text that is never closed")
    expected = _words(exc.allowed) if exc.allowed and not helps else None
    message = f"unexpected character '{ch}'" + (f"; expected {expected}" if expected else "")
    return error("RD001", message, span, *helps)


def _unexpected_token(exc, source, base) -> Diagnostic:
    token = exc.token
    span = source.span(base + token.start_pos, base + token.end_pos)
    expected = _words(exc.accepts or exc.expected)
    shown = str(token) if len(str(token)) <= 30 else str(token)[:27] + "..."
    helps = []
    if token.type == "NAME" and "STRING" in (exc.accepts or exc.expected):
        helps.append("texts are written in double quotes: \"…\"")
    return error("RD001", f"unexpected '{shown}'; expected {expected}", span, *helps)


def _unexpected_end(exc, source, base, text) -> Diagnostic:
    end = base + len(text.rstrip())
    span = source.span(max(base, end - 1), end)
    open_line = _open_block_line(text)
    helps = [f"the block opened at line {open_line} is not closed: add '}}'"] if open_line else []
    expected = getattr(exc, "expected", None) or getattr(exc, "accepts", None) or ()
    what = f"; expected {_words(expected)}" if expected else ""
    return error("RD001", f"the file ends too early{what}", span, *helps)
