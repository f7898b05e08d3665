"""From what was read to the report's text: the layout's specification, the table matcher, the
prose matcher and the writer, in that order."""

from __future__ import annotations

import functools

import attrs
from pathlib import Path
from typing import Optional

from ..layouts import layout_path
from ..source import SourceFile
from .layout_spec import LayoutSpec, read_layout
from .match_tables import TableMatcher
from .outcome import ImportResult, Summary, department_and_year, missing_header, prose_unit, unit_of
from .problems import UnreadableDocument, fail, problem
from .source import Disclosure
from . import table_notes, writer


@functools.lru_cache(maxsize=8)
def load_layout(name: str) -> LayoutSpec:
    from ..diagnostics import CompileError
    from ..parser import parse

    path = layout_path(name, "x.rpt") if not name.endswith(".rpt") else name
    if path is None or not Path(path).is_file():
        raise fail("RD006", name, f"no layout named {name!r}", "the packaged layouts are hubei and shanghai-2024")
    source = SourceFile(path, Path(path).read_text(encoding="utf-8"))
    try:
        report = parse(source)
    except CompileError as exc:
        raise UnreadableDocument(exc.diagnostics) from None
    return attrs.evolve(read_layout(report), source=source)


def language_has_stated() -> bool:
    from ..syntax_rules import grammar_text

    return '"stated"' in grammar_text()


def assemble(disclosure: Disclosure, layout_name: str, shown: str, department: Optional[str] = None,
             year: Optional[int] = None) -> ImportResult:
    layout = load_layout(layout_name)
    tables = TableMatcher(layout, shown)
    tables.match_all(disclosure.tables)
    diagnostics = list(tables.diagnostics)
    from .match_prose import ProseMatcher

    found_department, found_year = department_and_year(disclosure)
    department, year = department or found_department, year or found_year
    unit = unit_of(disclosure) or prose_unit(disclosure.paragraphs) or layout.unit or "万元"
    prose = ProseMatcher(layout, shown, tables, department, unit, year)
    prose.match_all(disclosure.paragraphs)
    diagnostics += prose.diagnostics
    if not tables.matched and not prose.sentences_matched:
        raise fail("RD504", shown, f"nothing in the file matches the layout {layout_name!r}: no standard table "
                   "title and no section of its narrative was found; this is not a disclosure on this layout",
                   "check the --layout, or that the file is the published final accounts (部门决算)")
    missing = [what for what, value in (("department", department), ("year", year)) if not value]
    if missing:
        raise UnreadableDocument([missing_header(shown, what) for what in missing])
    text = write(layout_name, department, year, unit, tables, prose, shown, disclosure.paragraphs)
    summary = Summary(len(disclosure.tables), tuple(m.title for m in tables.matched), tables.rows_read,
                      sum(len(n.values) for t in tables.trees.values() for n in t.nodes.values()),
                      prose.sentences_matched, prose.sentences_read, len(tables.stated) + len(prose.stated),
                      len(tables.facts) + prose.inputs_filled, tuple(prose.unread), prose.figures_bound,
                      len(prose.published.facts) + len(prose.published.stated), prose.lists_stated)
    locations = tuple((f"{tree.name}[{node.key}].{measure}", where)
                      for tree in tables.trees.values() for node in tree.nodes.values()
                      for measure, where in node.locations.items())
    locations += tuple((name, where) for name, (_, where) in tables.facts.items())
    locations += tuple((name, where) for name, (_, where) in prose.facts.items())
    locations += tuple((name, where) for name, _, where in prose.published.facts)
    return ImportResult(text, locations, tuple(tables.stated) + tuple(prose.stated), summary, tuple(diagnostics),
                        disclosure)


def write(layout_name, department, year, unit, tables: TableMatcher, prose, shown: str, paragraphs=()) -> str:
    as_checks = not language_has_stated()
    lines = [f"# Imported from {Path(shown).name} by `reportdsl import` on the layout {layout_name}: each figure",
             "# below is one the document prints, with the place it is printed; `reportdsl check` compares them.",
             writer.header_line(department, year, unit, layout_name)]
    for tree in tables.trees.values():
        printed = any(name == tree.name for name, _ in tables.printed)
        listed = not tables.layout.trees[tree.name].nodes and tree.nodes  # a list the report fills (单位)
        if any(node.values for node in tree.nodes.values()) or prose.fills_tree(tree.name) or printed or listed:
            lines.append("")
            lines.extend(writer.tree_lines(tree, tables.printed | prose.printed))
    facts = dict(tables.facts)
    facts.update(prose.facts)
    if facts:
        lines.append("")
        lines.extend(writer.fact_line(name, literal, where) for name, (literal, where) in facts.items())
    derived = prose.prior_year_lets(set(facts))
    if derived:
        lines.append("")
        lines.extend(derived)
    lines.extend(writer.stated_blocks(tables.stated + prose.stated + prose.published.stated, as_checks))
    if prose.list_checks:
        lines += ["", "# Lists of a table's rows the text prints, as the claims they make:", *prose.list_checks]
    lines.extend(table_notes.note_lines(tables, paragraphs, department))
    lines.extend(prose.own_text_lines())
    return formatted("\n".join(lines) + "\n", shown)


def formatted(text: str, shown: str) -> str:
    from ..diagnostics import CompileError
    from ..lark_parser import parse_text_now
    from ..source_printer import format_report

    source = SourceFile(str(Path(shown).with_suffix(".rpt")), text)
    try:  # not through the parse cache: this text is parsed once, to be laid out, and never again
        return format_report(parse_text_now(source), source)
    except CompileError as exc:
        raise UnreadableDocument([problem("RD509", shown, "the report written from this file does not parse: "
                                       f"{exc.diagnostics[0].message}", "this is a bug in the importer; please report it")])
