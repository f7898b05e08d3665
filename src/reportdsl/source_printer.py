"""The canonical layout of a report: AST (+ comments) -> text.

One method per node kind. Narrative strings keep the author's line breaks (prose is wrapped by
hand) and are re-indented under their opening quote; numbers keep the decimals the author typed;
the items of a tree are aligned in columns; comments stay on the line or before the statement they
were written with. parse(format(x)) == parse(x), and format(format(x)) == format(x).
"""

from __future__ import annotations

from typing import Callable, Iterable, Optional

import attrs

from . import ast
from .diagnostics import Severity
from .expr_printer import ExprPrinter, join_lines, quote, raw_string
from .source import SourceFile, Span
from .text_width import display_width

INDENT = "  "
MAX_WIDTH = 100  # display columns; a longer list is wrapped under its opening parenthesis


@attrs.define
class Line:
    indent: int
    text: str
    source_line: int  # the line of the input this output line came from, for placing comments
    comment: str = ""  # a trailing comment, aligned with those of the neighbouring lines
    source_end: int = 0  # the last input line of what this output line holds (for blank lines)

    def __attrs_post_init__(self) -> None:
        self.source_end = max(self.source_end, self.source_line)


# ---- statements ----------------------------------------------------------------------------------


class Formatter:
    def __init__(self, report: ast.Report, source: SourceFile):
        self.report, self.source = report, source
        self.expr = ExprPrinter(source)
        self.lines: list[Line] = []
        self.comment_lines = {c.span.line for c in report.comments
                              if not source.line_text(c.span.line)[: c.span.column - 1].strip()}
        self.dispatch: dict[type, Callable] = {
            ast.Check: self.check, ast.Items: self.items, ast.Stated: self.stated,
            ast.Classification: self.classification,
            ast.Part: self.part, ast.Section: self.section, ast.Para: self.para, ast.TextBlock: self.text_block,
            ast.ListBlock: self.list_block, ast.ForBlock: self.for_block, ast.IfBlock: self.if_block,
            ast.Table: self.table, ast.Chart: self.chart,
        }

    def format(self) -> str:
        self.header(self.report.header)
        self.body(self.report.body, 0)
        lines = place_comments(self.lines, self.report.comments, self.source)
        return render_lines(lines, self.source)

    def emit(self, depth: int, text: str, span_or_line, whole: bool = False) -> None:
        """One output line; `whole` when it holds all of the statement the span covers."""
        line = span_or_line.line if isinstance(span_or_line, Span) else span_or_line
        end = self.end_line(span_or_line) if whole and isinstance(span_or_line, Span) else line
        self.lines.append(Line(depth, text, line, source_end=end))

    def body(self, statements: Iterable, depth: int) -> None:
        statements = tuple(statements)
        widths = self.definition_widths(statements)
        for statement in statements:
            if isinstance(statement, (ast.Fact, ast.Let)):
                self.definition(statement, depth, widths.get(id(statement), 0))
            else:
                self.dispatch[type(statement)](statement, depth)

    def definition_widths(self, statements) -> dict[int, int]:
        """Runs of facts and lets, unbroken by a blank line or a comment line, align their '=' signs."""
        widths: dict[int, int] = {}
        run: list = []
        for statement in statements + (None,):
            adjacent = (isinstance(statement, (ast.Fact, ast.Let)) and run
                        and self.unbroken(self.end_line(run[-1].span), statement.span.line))
            if not adjacent:
                width = max((display_width(self.definition_head(s)) for s in run), default=0)
                widths.update((id(s), width) for s in run)
                run = []
            if isinstance(statement, (ast.Fact, ast.Let)):
                run.append(statement)
        return widths

    def unbroken(self, before: int, after: int) -> bool:
        between = range(before + 1, after)
        return not blank_between(self.source, before, after) and not any(n in self.comment_lines for n in between)

    def definition_head(self, statement) -> str:
        keyword = "fact" if isinstance(statement, ast.Fact) else "let"
        return f"{keyword} {self.ref(statement.target)}"

    def definition(self, statement, depth: int, width: int) -> None:
        head = pad(self.definition_head(statement), width)
        if isinstance(statement, ast.Fact):
            expr = statement.value
            tail = f" within {self.ref(statement.within)}" if statement.within else ""
        else:
            expr = statement.expr
            tail = f" as {statement.format}" if statement.format else ""
        if isinstance(expr, (ast.Template, ast.Text)) and "\n" in self.quoted(expr):
            self.string_lines(depth, f"{head} = ", expr, tail)  # a text wrapped by hand keeps its lines
            return
        value = self.placeholder(expr) if isinstance(expr, ast.Placeholder) else self.expr(expr)
        self.emit(depth, f"{head} = {value}{tail}", statement.span, whole=True)

    def quoted(self, string: ast.Template | ast.Text) -> str:
        """A quoted text as the author wrote it, quotes included (a Text's span has them, a Template's not)."""
        if isinstance(string, ast.Text):
            return self.source.text[string.span.start : string.span.end]
        return raw_string(self.source, string)

    def block(self, opening: str, statements, depth: int, span: Span) -> None:
        statements = tuple(statements)
        if not statements:
            self.emit(depth, opening + " {}", span)
            return
        self.emit(depth, opening + " {", span)
        self.body(statements, depth + 1)
        self.emit(depth, "}", self.end_line(span))

    def end_line(self, span: Span) -> int:
        return self.source.position(max(span.end - 1, span.start))[0]

    def emit_list(self, depth: int, head: str, items: list[str], tail: str, line: int) -> None:
        """`head(a, b, c)tail`, filled greedily and wrapped under the '(' when it is too wide (under the
        head, on a line of its own, when the head takes half the width)."""
        single = f"{head}({', '.join(items)}){tail}"
        if display_width(INDENT * depth + single) <= MAX_WIDTH or len(items) < 2:
            self.emit(depth, single, line)
            return
        if head.strip() and display_width(INDENT * depth + head) > MAX_WIDTH // 2:
            # a long head (a row filter) would leave the list a narrow column: the list goes under it
            self.emit(depth, head.rstrip(), line)
            self.emit_list(depth + 2, "", items, tail, line)
            return
        hang = " " * display_width(head + "(")
        current, line_has_item = head + "(", False
        for index, item in enumerate(items):
            piece = item + (", " if index < len(items) - 1 else f"){tail}")
            if line_has_item and display_width(INDENT * depth + current + piece.rstrip()) > MAX_WIDTH:
                self.emit(depth, current.rstrip(), line)
                current = hang
            current += piece
            line_has_item = True
        self.emit(depth, current.rstrip(), line)

    def string_lines(self, depth: int, prefix: str, string: ast.Template | ast.Text, suffix: str = "") -> None:
        """A narrative string: first line after the prefix, later lines under the opening quote."""
        pieces = self.quoted(string).split("\n")
        first_line = string.span.line
        hang = display_width(INDENT * depth + prefix) + 1
        self.emit(depth, prefix + pieces[0].rstrip() + (suffix if len(pieces) == 1 else ""), first_line)
        for offset, piece in enumerate(pieces[1:], start=1):
            text = " " * (hang - display_width(INDENT * depth)) + piece.strip()
            self.emit(depth, text + (suffix if offset == len(pieces) - 1 else ""), first_line + offset)

    # header and definitions
    def header(self, header: ast.Header | ast.LayoutHeader) -> None:
        if isinstance(header, ast.LayoutHeader):
            title = f" {quote_plain(header.title)}" if header.title is not None else ""
            unit = f" unit {header.unit}" if header.unit else ""
            self.emit(0, f"layout {quote_plain(header.name)}{title}{unit}", header.span)
            return
        text = f"report {quote_plain(header.department)}"
        text += f" year {header.year}" if header.year is not None else ""
        text += f" unit {header.unit}" if header.unit else ""
        if header.layout:
            plain_name = header.layout.isidentifier() and not header.layout.endswith(".rpt")
            text += f" layout {header.layout if plain_name else quote_plain(header.layout)}"
        text += f" prior {quote_plain(header.prior.name)}" if header.prior else ""
        text += f" rounding {header.rounding}" if header.rounding else ""
        self.emit(0, text, header.span)

    def ref(self, ref: ast.Ref) -> str:
        return ast.name_at(ref.name, ref.period)

    @staticmethod
    def placeholder(value: ast.Placeholder) -> str:
        return "?" + (f" {value.unit}" if value.unit else "")

    def check(self, check: ast.Check, depth: int) -> None:
        severity = " warning" if check.severity is Severity.WARNING else ""
        rounding = f" {check.rounding}" if check.rounding else ""
        self.emit(depth, f"check {self.expr(check.expr)}{rounding}{severity} {quote_plain(check.message)}",
                  check.span, whole=True)

    # a published document's figures
    def stated(self, block: ast.Stated, depth: int) -> None:
        head = "stated" + (f" page {block.page}" if block.page is not None else "")
        head += f" {block.place[0]} {quote_plain(block.place[1])}" if block.place else ""
        head += f" {block.rounding}" if block.rounding else ""
        head += " warning" if block.severity is Severity.WARNING else ""
        if not block.entries:
            self.emit(depth, head + " {}", block.span)
            return
        self.emit(depth, head + " {", block.span)
        rows = [(self.expr(e.expr), self.stated_literal(e.literal), self.stated_places(e)) for e in block.entries]
        left = max(display_width(expr) for expr, _, _ in rows)
        middle = max(display_width(literal) for _, literal, places in rows if places) if any(p for *_, p in rows) else 0
        for entry, (expr, literal, places) in zip(block.entries, rows):
            text = f"{pad(expr, left)} = {pad(literal, middle) + '  ' + places if places else literal}"
            self.emit(depth + 1, text.rstrip(), entry.span, whole=True)
        self.emit(depth, "}", self.end_line(block.span))

    def classification(self, block: ast.Classification, depth: int) -> None:
        if not block.entries:
            self.emit(depth, "classification {}", block.span)
            return
        self.emit(depth, "classification {", block.span)
        width = max(display_width(entry.code) for entry in block.entries)
        for entry in block.entries:
            self.emit(depth + 1, f"{pad(entry.code, width)} {quote_plain(entry.name)}", entry.span, whole=True)
        self.emit(depth, "}", self.end_line(block.span))

    def stated_literal(self, literal) -> str:
        if isinstance(literal, ast.Blank):
            return "-"
        if isinstance(literal, ast.Text):
            return quote_plain(literal.value)
        return self.expr(literal)

    @staticmethod
    def stated_places(entry: ast.StatedEntry) -> str:
        pieces = [f"{word} {quote_plain(text)}" for word, text in
                  (("row", entry.row), ("column", entry.column), ("sentence", entry.sentence)) if text is not None]
        return " ".join(pieces)

    # items
    def items(self, items: ast.Items, depth: int) -> None:
        title = f" {quote_plain(items.title)}" if items.title else ""
        opening = f"items {items.name}{title} ({', '.join(items.measures)})"
        if not items.nodes:
            self.emit(depth, opening + " {}", items.span)
            return
        self.emit(depth, opening + " {", items.span)
        self.item_group(items.nodes, depth + 1)
        self.emit(depth, "}", self.end_line(items.span))

    def item_group(self, nodes: tuple[ast.ItemNode, ...], depth: int) -> None:
        rows = [self.item_columns(node) for node in nodes]
        widths = column_widths(rows)
        for node, row in zip(nodes, rows):
            self.item_line(node, align_row(row, widths), depth)
            if node.children:
                self.item_group(node.children, depth + 1)
                self.emit(depth, "}", self.end_line(node.span))

    def item_line(self, node: ast.ItemNode, text: str, depth: int) -> None:
        """The aligned item, its first attribute on the same line, each further one on a line of its own."""
        opening = " {" if node.children else ""
        if not node.attributes:
            self.emit(depth, text + opening, node.span)
            return
        _, first = node.attributes[0]
        inline = isinstance(first, ast.Placeholder) or "\n" not in raw_string(self.source, first)  # a wrapped text starts a line of its own
        if not inline:
            self.emit(depth, text, node.span)
        for index, (key, template) in enumerate(node.attributes):
            prefix = f"{text} {key} " if index == 0 and inline else f"{INDENT}{key} "
            suffix = opening if index == len(node.attributes) - 1 else ""
            if isinstance(template, ast.Placeholder):
                self.emit(depth, f"{prefix}?{suffix}", template.span)
            else:
                self.string_lines(depth, prefix, template, suffix)

    def item_columns(self, node: ast.ItemNode) -> list:
        label = quote_plain(node.label) if node.label is not None else ""
        values = [self.item_value(v) for v in node.values]
        return [node.key, label, values]

    def item_value(self, value) -> str:
        if isinstance(value, ast.Blank):
            return "-"
        if isinstance(value, ast.Placeholder):
            return self.placeholder(value)
        return self.expr(value)

    # document
    def part(self, part: ast.Part, depth: int) -> None:
        if part.retitle:
            self.emit(depth, f"part {self.named(part)}", part.span)
        else:
            self.block(f"part {self.named(part)}", part.body, depth, part.span)

    def section(self, section: ast.Section, depth: int) -> None:
        plain = "plain " if section.plain else ""
        if section.retitle:
            self.emit(depth, f"section {plain}{self.named(section)}", section.span)
        else:
            self.block(f"section {plain}{self.named(section)}", section.body, depth, section.span)

    def named(self, heading) -> str:
        """[NAME] "title" [after|before NAME] of a part or section."""
        name = f"{heading.name} " if heading.name else ""
        anchor = f" {heading.anchor[0]} {heading.anchor[1]}" if heading.anchor else ""
        return f"{name}{self.one_line(heading.title)}{anchor}"

    def one_line(self, template: ast.Template) -> str:
        return join_lines(raw_string(self.source, template))

    def para(self, para: ast.Para, depth: int) -> None:
        prefix = "para " + ("plain " if para.plain else "") + (f"{para.name} " if para.name else "")
        self.string_lines(depth, prefix, para.template)

    def text_block(self, block: ast.TextBlock, depth: int) -> None:
        raw = self.source.text[block.span.start : block.span.end]
        opening = raw.index('"""') + 3
        body = raw[opening : raw.rindex('"""')]
        first_line = self.source.position(block.span.start + opening)[0]
        self.emit(depth, 'text """', block.span)
        for paragraph in split_paragraphs(body):  # the blank lines between them come from the source lines
            for offset, piece in paragraph:
                self.emit(depth + 1, piece, first_line + offset)
        self.emit(depth, '"""', self.end_line(block.span))

    def list_block(self, block: ast.ListBlock, depth: int) -> None:
        style = f" {quote_plain(block.style)}" if block.style else ""
        self.block(f"list{style}", block.body, depth, block.span)

    def for_block(self, block: ast.ForBlock, depth: int) -> None:
        condition = f" if {self.expr(block.condition)}" if block.condition is not None else ""
        self.block(f"for {block.variable} in {self.expr(block.sequence)}{condition}", block.body, depth, block.span)

    def if_block(self, block: ast.IfBlock, depth: int) -> None:
        opening = f"if {self.expr(block.condition)}"
        if not block.orelse:
            self.block(opening, block.body, depth, block.span)
            return
        self.emit(depth, opening + " {", block.span)
        self.body(block.body, depth + 1)
        self.emit(depth, "} else {", block.orelse[0].span.line if block.orelse else block.span)
        self.body(block.orelse, depth + 1)
        self.emit(depth, "}", self.end_line(block.span))

    # tables and charts
    def table(self, table: ast.Table, depth: int) -> None:
        self.emit(depth, f"table {table.name} {self.one_line(table.title)} {{", table.span)
        inner = depth + 1
        if table.columns:
            self.emit_list(inner, "columns ", [self.column(c) for c in table.columns], "", table.span.line + 1)
        if table.above is not None:
            self.emit(inner, "above" + self.above_sides(table.above), table.above.span)
        for entry in table.body:
            self.table_entry(entry, inner)
        for note in table.notes:
            self.string_lines(inner, "note ", note)
        if table.empty_note is not None:
            self.string_lines(inner, "empty ", table.empty_note)
        self.emit(depth, "}", self.end_line(table.span))

    def above_sides(self, above: ast.TableAbove) -> str:
        sides = (("left", above.left), ("right", above.right))
        return "".join(f" {side} {self.one_line(text)}" for side, text in sides if text is not None)

    def column(self, column: ast.Column) -> str:
        subs = f" [{', '.join(self.column(sub) for sub in column.subcolumns)}]" if column.subcolumns else ""
        return quote_plain(column.title) + subs

    def table_entry(self, entry, depth: int) -> None:
        if isinstance(entry, ast.Side):
            self.emit(depth, "side {", entry.span)
            for row in entry.rows:
                self.table_entry(row, depth + 1)
            self.emit(depth, "}", self.end_line(entry.span))
        elif isinstance(entry, ast.Row):
            self.emit_list(depth, "row ", [self.cell(c) for c in entry.cells], "", entry.span.line)
        else:
            # the filter stays in parentheses: one ending in a name would otherwise read as a call
            condition = f" if ({self.expr(entry.condition)})" if entry.condition is not None else ""
            opening = f"rows {entry.variable} in {self.expr(entry.sequence)}{condition} "
            self.emit_list(depth, opening, [self.cell(c) for c in entry.cells], "", entry.span.line)

    def cell(self, cell: ast.Cell) -> str:
        if isinstance(cell.expr, ast.Blank):
            return "-"
        return self.expr(cell.expr) + (f" : {cell.format}" if cell.format else "")

    def chart(self, chart: ast.Chart, depth: int) -> None:
        self.emit(depth, f"chart {chart.kind} {chart.name} {self.one_line(chart.title)} {{", chart.span)
        for point in chart.points:
            self.emit(depth + 1, f"{self.one_line(point.label)}: {self.expr(point.value)}", point.span)
        self.emit(depth, "}", self.end_line(chart.span))


def quote_plain(text: str) -> str:
    """A quoted text that is never a template (a message, a label, a column title): always double quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def split_paragraphs(body: str) -> list[list[tuple[int, str]]]:
    """The paragraphs of a text block: each a list of (line offset in the body, the line's text)."""
    paragraphs, current = [], []
    for offset, line in enumerate(body.split("\n")):
        if line.strip():
            current.append((offset, line.strip()))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def is_number_text(text: str) -> bool:
    return text in ("-", "?") or text.lstrip("-")[:1].isdigit()


def column_widths(rows: list[list]) -> list:
    """Widths of the key, the label and each value column, and whether the column holds numbers."""
    key = max(display_width(r[0]) for r in rows)
    label = max(display_width(r[1]) for r in rows)
    counts = max(len(r[2]) for r in rows)
    full = [r[2] for r in rows if len(r[2]) == counts]
    values = [(max(display_width(v[i]) for v in full), all(is_number_text(v[i]) for v in full))
              for i in range(counts)]
    return [key, label, values]


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space


def align_row(row: list, widths: list) -> str:
    """Key and label padded; number columns right-aligned, text columns left-aligned, the commas
    of a text column right after the text (the padding follows it)."""
    key, label, values = row
    pieces = [pad(key, widths[0])]
    if widths[1]:
        pieces.append(pad(label, widths[1]))
    if values:
        aligned = len(values) == len(widths[2])
        cells = [cell_text(v, i, len(values), widths[2][i]) if aligned else v + (", " if i < len(values) - 1 else "")
                 for i, v in enumerate(values)]
        pieces.append(f"({''.join(cells).rstrip()})")
    return " ".join(pieces).rstrip()


def cell_text(value: str, index: int, count: int, column: tuple[int, bool]) -> str:
    width, numeric = column
    comma = ", " if index < count - 1 else ""
    if numeric:
        return pad(value, width, right=True) + comma
    return pad(value + comma, width + len(comma))


# ---- comments and blank lines ----------------------------------------------------------------------


def place_comments(lines: list[Line], comments: tuple[ast.Comment, ...], source: SourceFile) -> list[Line]:
    """Put each comment back: at the end of the output line it trailed, or before the first output
    line that comes from a later input line (at that line's indentation)."""
    result = list(lines)
    for comment in sorted(comments, key=lambda c: c.span.start, reverse=True):
        target_line = comment.span.line
        own_line = not source.line_text(target_line)[: comment.span.column - 1].strip()
        if not own_line:
            index = max((i for i, line in enumerate(result) if line.source_line <= target_line and not line.text.startswith("#")),
                        default=None)
            # the output line of the code the comment trailed (a statement the formatter put on one line
            # keeps a comment that trailed any of its lines)
            if index is not None and not result[index].comment:
                result[index].comment = comment.text.rstrip()
                continue
        index = next((i for i, line in enumerate(result) if line.source_line > target_line), len(result))
        indent = comment_indent(result, index)
        result.insert(index, Line(indent, comment.text.rstrip(), target_line))
    return result


def comment_indent(lines: list[Line], index: int) -> int:
    if index >= len(lines):
        return 0
    following = lines[index]
    return following.indent + 1 if following.text.startswith("}") or following.text == '"""' else following.indent


def render_lines(lines: list[Line], source: SourceFile) -> str:
    out: list[Line] = []
    previous: Optional[Line] = None
    for line in lines:
        if previous is not None and blank_between(source, previous.source_end, line.source_line):
            if out and out[-1].text != "":
                out.append(Line(0, "", line.source_line))
        out.append(line)
        previous = line
    return "\n".join(align_comments(out)) + "\n"


def align_comments(lines: list[Line]) -> list[str]:
    """Trailing comments of consecutive lines start in one column, two spaces after the longest code."""
    texts = [(INDENT * line.indent + line.text).rstrip() if line.text else "" for line in lines]
    index = 0
    while index < len(lines):
        if not lines[index].comment:
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and lines[end + 1].comment and lines[end + 1].text:
            end += 1
        column = max(display_width(texts[i]) for i in range(index, end + 1)) + 2
        for i in range(index, end + 1):
            texts[i] = pad(texts[i], column) + lines[i].comment
        index = end + 1
    return texts


def blank_between(source: SourceFile, before: int, after: int) -> bool:
    return any(not source.line_text(n).strip() for n in range(before + 1, after))


def format_report(report: ast.Report, source: SourceFile) -> str:
    return Formatter(report, source).format()
