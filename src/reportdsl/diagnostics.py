"""Diagnostics: the one type every stage reports problems with, and its text and JSON renderings."""

from __future__ import annotations

import enum
from typing import Iterable

import attrs

from .source import FORBIDDEN_CHARACTER, SourceFile, Span
from .text_enum import TextEnum
from .text_width import display_width


class Severity(TextEnum):
    ERROR = "error"
    WARNING = "warning"


class Category(enum.IntEnum):
    """What a code is about: its first digit (RD1xx are names)."""

    FILES_AND_SYNTAX = 0
    NAMES = 1
    ARITHMETIC = 2
    CHECKS = 3
    PUBLISHED_TEXT = 4
    IMPORT = 5


# Reported only when the compiler itself fails; the fuzz tests assert it never appears.
INTERNAL = "RD000"

# Stable codes. docs/errors.md documents each with an example; tests/test_error_docs.py runs them.
CODES: dict[str, str] = {
    "RD001": "syntax error",
    "RD002": "malformed narrative template",
    "RD003": "malformed literal or format",
    "RD004": "file cannot be read",
    "RD005": "prior-year report cannot be used",
    "RD006": "layout cannot be used",
    "RD007": "nested too deeply",
    "RD008": "over a size limit",
    "RD009": "figure too large to print exactly",
    "RD010": "control or bidirectional character in the text",
    "RD101": "undefined name",
    "RD102": "duplicate definition",
    "RD103": "circular definition",
    "RD104": "unknown attribute or measure",
    "RD105": "unknown item key",
    "RD106": "type or unit mismatch",
    "RD107": "unknown function or wrong arguments",
    "RD108": "duplicate item key",
    "RD109": "item code outside its parent's code",
    "RD110": "wrong number of values for an item",
    "RD111": "no such part, section or paragraph in the layout",
    "RD120": "a part or section emptied by an empty replacement",
    "RD121": "a part or section without a body retitles nothing",
    "RD122": "a table's line over it or its empty note stated twice",
    "RD112": "item name differs from the standard classification",
    "RD113": "malformed classification entry",
    "RD130": "a comment takes in code written after it",
    "RD201": "division by a zero base",
    "RD301": "parent does not equal the sum of its children",
    "RD302": "declared equality does not hold",
    "RD303": "declared comparison does not hold",
    "RD304": "change rate computed over the wrong base",
    "RD305": "a subset is larger than its whole",
    "RD306": "rate rounded to a boundary it does not reach",
    "RD307": "prior-year figure differs from last year's report",
    "RD308": "a stated (published) figure differs from the report's",
    "RD401": "unfilled placeholder in published text",
    "RD402": "direction word in front of a zero figure",
    "RD403": "template leftover in published text",
    "RD410": "text or check kept from last year, not reviewed yet",
    "RD415": "rates of one kind printed with different precisions in one section",
    "RD416": "an amount in a sentence printed with fewer decimals than the tables",
    "RD540": "a word written twice",
    "RD541": "budget comparison without its reason",
    "RD542": "a standard table is missing from a published document",
    "RD543": "an amount unit differs between tables or from the text",
    "RD544": "department or year differs between cover, table headers and text",
    "RD545": "a list in the text disagrees with the table's rows",
    "RD546": "a section of the layout is missing from a published document",
    "RD547": "an item's purpose is another item's, copied",
    "RD548": "a published sentence says 持平 where its figures differ",
    "RD549": "a share in the text differs from its amount over its whole",
    "RD550": "the shares of one breakdown do not add up to 100%",
    "RD551": "a change rate in the text differs from the amounts it compares",
    "RD552": "a completion rate contradicts the budget difference its sentence gives",
    "RD553": "the parts the text gives of a standard whole do not add up to it",
    "RD411": "a reason tells of another direction than its figures",
    "RD412": "completion or execution rate over 100% with no reason given",
    "RD413": "figure printed in a format of another kind",
    "RD414": "a rate typed as a plain number",
    "RD501": "file cannot be imported",
    "RD502": "PDF without text (scanned)",
    "RD503": "file is encrypted",
    "RD504": "not a disclosure on this layout",
    "RD505": "Excel formula without a stored value",
    "RD506": "table columns do not match the layout",
    "RD507": "printed cell or row not read",
    "RD508": "department or year not found",
    "RD509": "the importer failed on the file (importer bug)",
    "RD510": "foreign file over a size limit",
    "RD515": "table printed as text not read",
}


@attrs.frozen
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None
    help: tuple[str, ...] = ()
    related: tuple[tuple[Span, str], ...] = ()

    def sort_key(self) -> tuple:
        where = self.span.sort_key() if self.span else ("", 0, 0)
        return (*where, self.code, self.message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def category(self) -> Category:
        return Category(int(self.code[2]))


def error(code: str, message: str, span: Span | None, *help: str, related=()) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, tuple(help), tuple(related))


def warning(code: str, message: str, span: Span | None, *help: str, related=()) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, span, tuple(help), tuple(related))


def sort_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sort by position and drop exact repeats (a figure used twice reports its fault once)."""
    seen: dict[tuple, Diagnostic] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.span, diagnostic.code, diagnostic.message)
        seen.setdefault(key, diagnostic)
    return sorted(seen.values(), key=Diagnostic.sort_key)


def whole_file(path: str) -> Span:
    """The span of a diagnostic about a file as a whole (it cannot be read): line 0."""
    return Span(path, 0, 0, 0, 0)


def severity_counts(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    return errors, len(diagnostics) - errors


def _caret_lines(source: SourceFile, span: Span) -> list[str]:
    # a control or bidi character is shown as �, so the quoted line cannot itself reorder the terminal
    line_text = FORBIDDEN_CHARACTER.sub("\ufffd", source.line_text(span.line).replace("\t", " "))
    gutter = " " * len(str(span.line))
    start = span.column - 1
    end_line, end_column = source.position(span.end)
    end = end_column - 1 if end_line == span.line else len(line_text)
    before = display_width(line_text[:start])
    width = max(1, display_width(line_text[start:end]))
    return [
        f"{gutter} |",
        f"{span.line} | {line_text}",
        f"{gutter} | {' ' * before}{'^' * width}",
    ]


def short_path(path: str) -> str:
    """A layout shipped in the package by its name (`layout hubei`), not its path in site-packages."""
    parts = path.replace("\\", "/").split("/")
    if len(parts) >= 3 and parts[-2] == "layouts" and parts[-3] == "reportdsl" and parts[-1].endswith(".rpt"):
        return f"layout {parts[-1][:-4]}"
    return path


def render_text(diagnostic: Diagnostic, sources: dict[str, SourceFile]) -> str:
    span = diagnostic.span
    where = "" if span is None else f"{span.path}: " if span.line == 0 else f"{span.path}:{span.line}:{span.column}: "
    lines = [f"{where}{diagnostic.severity.value}[{diagnostic.code}]: {diagnostic.message}"]
    if span and span.line and sources.get(span.path) and sources[span.path].text:
        lines += _caret_lines(sources[span.path], span)
    for related_span, note in diagnostic.related:
        lines.append(f"  = note: {short_path(related_span.path)}:{related_span.line}:{related_span.column}: {note}")
    lines += [f"  = help: {text}" for text in diagnostic.help]
    return "\n".join(lines)


def to_json_obj(diagnostic: Diagnostic) -> dict:
    span = diagnostic.span
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "path": span.path if span else None,
        "line": span.line if span else None,
        "column": span.column if span else None,
        "help": list(diagnostic.help),
        "related": [
            {"path": s.path, "line": s.line, "column": s.column, "note": note}
            for s, note in diagnostic.related
        ],
    }


def render_json(diagnostics: list[Diagnostic]) -> str:
    return json_text([to_json_obj(d) for d in diagnostics])


def json_text(objects: list[dict]) -> str:
    import json

    return json.dumps(objects, ensure_ascii=False, indent=2)


class CompileError(Exception):
    """Raised inside a stage to abandon it with diagnostics already collected."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics[0].message if diagnostics else "compile error")
        self.diagnostics = diagnostics
