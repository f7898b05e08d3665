"""`reportdsl next-year FILE`: next year's report, made from this year's.

The text of FILE is kept (structure, layout, standing prose, comments) and edited in place:
- the header's `year` goes up by one and `prior` names FILE;
- every typed figure of the year (a fact's number, count, percentage or budget; an item's values)
  becomes `?`, with last year's value in a comment at the end of its line;
- a reason (an item's `reason`, a fact whose name says 原因) is emptied the same way (`reason ?`);
- a figure of the prior year typed here (`fact X@上年 = …`) is dropped: FILE now provides it;
- prose that names a date, a year or a literal number, and checks or `stated` blocks that compare
  with literal figures, get a `# review:` line above them, which `check` reports (RD410) until the
  author has confirmed or rewritten the text and deleted the line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Iterator, Optional

import attrs

from . import ast
from .source import SourceFile

REVIEW_MARK = "# review:"
PRIOR_PERIODS = ("上年",)
REASON_NAME = re.compile(r"原因")
_LITERALS = (ast.Number, ast.Percent, ast.Text)


@attrs.frozen
class Edit:
    start: int
    end: int
    text: str


@attrs.frozen
class Plan:
    """What to change: replacements of spans, comments to add at the end of lines, lines above lines."""

    source: SourceFile
    edits: list = attrs.field(factory=list)
    line_notes: dict = attrs.field(factory=dict)  # offset of a line's end -> [text], a trailing comment
    reviews: dict = attrs.field(factory=dict)  # offset of a line's start -> [why], `# review:` lines above

    def note(self, offset: int, text: str) -> None:
        """A comment at the end of the line holding `offset` (of the original text, outside any string)."""
        entry = self.line_notes.setdefault(line_end(self.source.text, offset), [offset, []])
        entry[0] = min(entry[0], offset)
        entry[1].append(text)

    def review(self, span, why: str) -> None:
        start = self.source.text.rfind("\n", 0, span.start) + 1
        if why not in self.reviews.setdefault(start, []):
            self.reviews[start].append(why)


def roll_forward(source: SourceFile, report: ast.Report, new_path: str) -> str:
    """The text of next year's report (not yet formatted)."""
    year = report.header.year
    plan = Plan(source)
    _header(source, report.header, new_path, plan)
    label = str(year) if year is not None else "last year"
    for statement in statements(report.body):
        _statement(source, statement, label, plan)
    return apply(source, plan)


# ---- what to change --------------------------------------------------------------------------------------


def statements(body: Iterable) -> Iterator:
    """Every statement, inside parts, sections, lists, loops and conditions too."""
    for statement in body:
        yield statement
        for inner in (getattr(statement, "body", ()), getattr(statement, "orelse", ())):
            if isinstance(inner, tuple):
                yield from statements(inner)


def _header(source: SourceFile, header: ast.Header, new_path: str, plan: Plan) -> None:
    text = source.text[header.span.start:header.span.end]
    prior_name = relative_to_folder_of(source.path, new_path)
    year = re.search(r"\byear\s+(\d+)", text)
    if year is not None:
        start = header.span.start + year.start(1)
        plan.edits.append(Edit(start, start + len(year.group(1)), str(int(year.group(1)) + 1)))
    prior = re.search(r'\bprior\s+("(?:[^"\\]|\\.)*")', text)
    if prior is not None:
        start = header.span.start + prior.start(1)
        plan.edits.append(Edit(start, start + len(prior.group(1)), quoted(prior_name)))
    else:
        plan.edits.append(Edit(header.span.end, header.span.end, f" prior {quoted(prior_name)}"))


def relative_to_folder_of(old_path: str, new_path: str) -> str:
    """FILE as the new report names it: relative to the new report's folder."""
    folder = Path(new_path).parent
    return Path(os.path.relpath(Path(old_path).resolve(), folder.resolve())).as_posix()


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _statement(source: SourceFile, statement, year: str, plan: Plan) -> None:
    if isinstance(statement, ast.Fact):
        _fact(source, statement, year, plan)
    elif isinstance(statement, ast.Items):
        for node in walk_nodes(statement.nodes):
            _item(source, node, year, plan)
    elif isinstance(statement, ast.Check) and has_literal_figure(statement.expr):
        plan.review(statement.span, f"this check compares with a figure of {year}; update or delete it")
    elif isinstance(statement, ast.Stated):
        plan.review(statement.span, f"the figures of {year}'s published document; delete the block or state this year's")
    elif isinstance(statement, ast.Let) and has_literal_figure(statement.expr):
        plan.review(statement.span, f"this figure is computed with a number typed for {year}; check it")
    elif isinstance(statement, (ast.Para, ast.Section, ast.Part)):
        _prose(statement, year, plan)
    elif isinstance(statement, ast.TextBlock) and any(year_specific(t) for t in statement.paragraphs):
        plan.review(statement.span, f"names dates or numbers of {year}: rewrite or confirm")


def _prose(statement, year: str, plan: Plan) -> None:
    template = statement.template if isinstance(statement, ast.Para) else statement.title
    if year_specific(template):
        what = "this paragraph" if isinstance(statement, ast.Para) else "this heading"
        plan.review(statement.span, f"{what} names dates or numbers of {year}: rewrite or confirm")


def _fact(source: SourceFile, fact: ast.Fact, year: str, plan: Plan) -> None:
    value = fact.value
    if fact.target.period in PRIOR_PERIODS or (fact.target.period or "").isdigit():
        _drop_prior_fact(source, fact, year, plan)
    elif is_typed_figure(value):
        unit = figure_unit(value)
        plan.edits.append(Edit(value.span.start, value.span.end, "?" + (f" {unit}" if unit else "")))
        plan.note(fact.span.end, f"{year}: {one_line(source, value.span)}")
    elif isinstance(value, ast.Text) and REASON_NAME.search(fact.target.name):
        plan.edits.append(Edit(value.span.start, value.span.end, "?"))
        plan.note(fact.span.end, f"{year}: {one_line(source, value.span)}")
    elif isinstance(value, ast.Text) and year_specific(value.value):
        plan.review(fact.span, f"this text names dates or numbers of {year}: rewrite or confirm")


def _drop_prior_fact(source: SourceFile, fact: ast.Fact, year: str, plan: Plan) -> None:
    """`fact X@上年 = v` typed last year: the year before last. Now FILE is the prior year."""
    start = source.text.rfind("\n", 0, fact.span.start) + 1
    end = source.text.find("\n", fact.span.end)
    end = len(source.text) if end < 0 else end
    shown = fact.target.name + f"@{fact.target.period}"
    plan.edits.append(Edit(start, end, f"# {shown} now comes from the prior-year report ({year}'s report typed "
                                       f"{one_line(source, fact.value.span)} for the year before)"))


def _item(source: SourceFile, node: ast.ItemNode, year: str, plan: Plan) -> None:
    typed = [v for v in node.values if is_typed_figure(v) or isinstance(v, ast.Text)]
    if typed:
        head_end = item_head_end(source, node)
        shown = ", ".join(one_line(source, v.span) for v in node.values)
        for value in typed:
            unit = figure_unit(value)
            plan.edits.append(Edit(value.span.start, value.span.end, "?" + (f" {unit}" if unit else "")))
        plan.note(head_end, f"{year}: ({shown})")
    for key, template in node.attributes:
        if isinstance(template, ast.Placeholder):
            continue
        if key == "reason":
            _empty_reason(source, node, template, year, plan)
        elif year_specific(template):
            plan.review(node.span, f"the {key} of '{node.label or node.key}' names dates or numbers of {year}: "
                                        "rewrite or confirm")


def _empty_reason(source: SourceFile, node: ast.ItemNode, template: ast.Template, year: str, plan: Plan) -> None:
    """`reason "…"` becomes `reason ?`, which check reports until this year's reason is written (or the
    line deleted, when the figures no longer differ)."""
    opening = template.span.start - 1 if source.text[template.span.start - 1:template.span.start] == '"' else template.span.start
    plan.edits.append(Edit(opening, closing_quote(source, template.span.end), "?"))
    plan.note(item_head_end(source, node), f"{year} reason: {one_line(source, template.span).strip(chr(34))}")


# ---- what counts as what -----------------------------------------------------------------------------


def is_typed_figure(value) -> bool:
    if isinstance(value, ast.Neg):
        return is_typed_figure(value.operand)
    return isinstance(value, (ast.Number, ast.Percent))


def figure_unit(value) -> Optional[str]:
    if isinstance(value, ast.Neg):
        return figure_unit(value.operand)
    return value.unit if isinstance(value, ast.Number) else None


def has_literal_figure(expr) -> bool:
    """A comparison with a number typed for that year (0, 1 and 100% are standing)."""
    if isinstance(expr, ast.Number):
        return expr.value not in (0, 1)
    if isinstance(expr, ast.Percent):
        return expr.value not in (0, 1)
    return any(has_literal_figure(child) for child in ast.children(expr))


_DATE_OR_NUMBER = re.compile(r"\d|今年|去年|明年")
_QUOTED_NAME = re.compile(r"“[^”]*”|《[^》]*》")  # a name such as “3＋1” or a document's title


def year_specific(text) -> bool:
    """Prose that names a date, a year or a number of its own (not through a `{figure}`)."""
    if isinstance(text, ast.Template):
        text = "{}".join(part.text for part in text.parts if isinstance(part, ast.Literal))
    return isinstance(text, str) and bool(_DATE_OR_NUMBER.search(_QUOTED_NAME.sub("", re.sub(r"\{[^}]*\}", "", text))))


def closing_quote(source: SourceFile, end: int) -> int:
    """A template's span holds what is inside its quotes: the end of the string itself."""
    return end + 1 if source.text[end:end + 1] == '"' else end


def item_head_end(source: SourceFile, node: ast.ItemNode) -> int:
    """Where an item's values and texts end (before its children): its notes go on that line, which
    is where `fmt` keeps a trailing comment of the item."""
    ends = [v.span.end for v in node.values] + [closing_quote(source, t.span.end) for _, t in node.attributes]
    return max(ends) if ends else node.span.start


def walk_nodes(nodes) -> Iterator[ast.ItemNode]:
    for node in nodes:
        yield node
        yield from walk_nodes(node.children)


def one_line(source: SourceFile, span) -> str:
    """A value as typed, on one line (a long text's lines joined)."""
    text = source.text[span.start:span.end]
    return " ".join(line.strip() for line in text.splitlines()).replace("#", "＃")


# ---- applying it ---------------------------------------------------------------------------------------


def apply(source: SourceFile, plan: Plan) -> str:
    edits = list(plan.edits)
    for end, (offset, notes) in plan.line_notes.items():
        edits.append(trailing_note(source, offset, end, "; ".join(notes)))
    for offset, whys in plan.reviews.items():
        indent = re.match(r"[ \t]*", source.text[offset:]).group(0)
        edits.append(Edit(offset, offset, "".join(f"{indent}{REVIEW_MARK} {why}\n" for why in whys)))
    text = source.text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def trailing_note(source: SourceFile, offset: int, end: int, note: str) -> Edit:
    """`fact x = ?  # 2023: 6 人`, keeping a comment the line had: `# 2023: 6 人 · its comment`."""
    code, hash_, comment = split_comment(source.text[offset:end])
    if hash_:
        return Edit(offset + len(code), end, f"# {note} · {comment.strip()}")
    return Edit(end, end, f"  # {note}")


def line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def split_comment(line: str) -> tuple[str, str, str]:
    """The code of a line and its comment: the first # outside a quoted text."""
    quoted_text = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted_text = not quoted_text
        elif char == "#" and not quoted_text:
            return line[:index], "#", line[index + 1:]
    return line, "", ""


# ---- the command ---------------------------------------------------------------------------------------


def next_year_text(path: str, new_path: str) -> str:
    """Next year's report from the report at `path`, formatted; raises CompileError if it does not parse."""
    from .compiler import read_source
    from .fmt_command import formatted
    from .parser import parse

    source = read_source(path)
    report = parse(source)
    if isinstance(report.header, ast.LayoutHeader):
        from .diagnostics import CompileError, error

        raise CompileError([error("RD001", "this is a layout, not a report: next-year rolls a report forward",
                                  report.header.span, "start a report on it with: reportdsl new --layout …")])
    text = roll_forward(source, report, new_path)
    return formatted(SourceFile(new_path, text))


def default_target(path: str, year: Optional[int]) -> Optional[str]:
    """hongshan_2023.rpt -> hongshan_2024.rpt beside it, when the name holds the year."""
    name = Path(path).name
    if year is None or str(year) not in name:
        return None
    return str(Path(path).with_name(name.replace(str(year), str(year + 1))))
