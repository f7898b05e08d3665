"""An empty table's own 说明. A standard table printed without a figure keeps the note the document
prints under it ("说明：本部门本年度没有……，故本表无数据。") in place of the layout's `empty` note, when
its words differ from the layout's: `table t政府性基金 "…" { empty "说明：…" }`."""

from __future__ import annotations

import re
from typing import Optional

from ..expr_printer import ExprPrinter
from .match_tables import TableMatch, TableMatcher, normal
from .source import SourceParagraph, amount_of, clean
from .published import escape_template

NOTE = re.compile(r"^\s*说明\s*[:：]")


def note_lines(tables: TableMatcher, paragraphs: tuple[SourceParagraph, ...], department: Optional[str]) -> list[str]:
    lines = []
    taken: set[int] = set()
    for match in tables.matched:
        table = _layout_table(tables, match.spec.name)
        if table is None or table.empty_note is None or not is_empty(match):
            continue
        note = own_note(match, paragraphs, taken)
        if note is None or _same_words(note, table.empty_note, department):
            continue
        title = ExprPrinter(tables.layout.source).template(table.title)
        lines += ["", f"# the note printed under the empty table ({match.source.place.describe()})",
                  f'table {table.name} {title} {{', f'  empty "{escape_template(note)}"', "}"]
    return lines


def is_empty(match: TableMatch) -> bool:
    """No figure other than zero in the table's rows below its header."""
    return not any((amount_of(cell) or 0) != 0 for row in match.source.rows[match.header_rows:] for cell in row)


def own_note(match: TableMatch, paragraphs, taken: set[int]) -> Optional[str]:
    """The 说明 under the table: among its notes (Word, Excel), or the first 说明 paragraph on its last
    page not taken by a table before it (PDF)."""
    for note in match.source.notes:
        if NOTE.match(note):
            return _first_note(note)
    pages = match.source.pages or ((match.source.place.page,) if match.source.place.page else ())
    for index, paragraph in enumerate(paragraphs):
        if index not in taken and pages and paragraph.place.page == pages[-1] and NOTE.match(paragraph.text):
            taken.add(index)
            return _first_note(paragraph.text)
    return None


def _first_note(text: str) -> str:
    """The 说明 alone: a PDF's lines may run on into the next table's 注."""
    return re.split(r"(?=注\s*[:：])", clean(text))[0].strip()


def _same_words(note: str, template, department: Optional[str]) -> bool:
    layout_words = "".join(part.text for part in template.parts if hasattr(part, "text"))
    printed = normal(note.replace(department, "") if department else note)
    return printed == normal(layout_words)


def _layout_table(tables: TableMatcher, name: str):
    from .. import ast

    for statement in ast.statements(tables.layout.report.body):
        if isinstance(statement, ast.Table) and statement.name == name:
            return statement
    return None
