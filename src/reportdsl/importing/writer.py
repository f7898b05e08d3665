"""The report's text: header, item trees, inputs, stated figures with their places, and the
prose that matched nothing, laid out as `reportdsl fmt` lays it out (the pipeline formats it)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Optional

from ..expr_printer import quote
from .located import Location, NodeData, Stated, TemplateText, TreeData


def quoted(text: str) -> str:
    """A text in the report's syntax: a template as it is, any other text quoted."""
    return f'"{text}"' if isinstance(text, TemplateText) else quote(text)


def header_line(department: str, year: Optional[int], unit: str, layout: str) -> str:
    year_text = str(year) if year else "?"
    return f"report {quote(department)} year {year_text} unit {unit} layout {quote(layout)}"


def tree_lines(tree: TreeData, printed: set) -> list[str]:
    """An item tree. A value the document does not print is '-' (no value), like a blank cell;
    the measures the document prints nowhere are named in a comment."""
    absent = [m for m in tree.measures if not any(m in node.values for node in tree.nodes.values())]
    lines = [f"# {', '.join(absent)}: printed nowhere in the file ('-')"] if absent else []
    lines.append(f"items {tree.name} {quote(tree.title)} ({', '.join(tree.measures)}) {{")
    unknown = {m: "-" for m in tree.measures}
    for node in tree.children(None):
        lines.extend(node_lines(tree, node, 1, unknown))
    lines.append("}")
    return lines


def node_lines(tree: TreeData, node: NodeData, depth: int, unknown: dict) -> list[str]:
    indent = "  " * depth
    children = tree.children(node.key)
    values = ""
    if node.values or not children:
        values = " (" + ", ".join(node.values.get(m, unknown[m]) for m in tree.measures) + ")"
    attributes = "".join(f" {name} {quoted(text)}" for name, text in node.attributes.items())
    head = f"{indent}{node.key} {quote(node.label)}{values}{attributes}"
    if not children:
        return [head]
    lines = [head + " {"]
    for child in children:
        lines.extend(node_lines(tree, child, depth + 1, unknown))
    lines.append(indent + "}")
    return lines


def fact_line(name: str, literal: str, location: Location) -> str:
    return f"fact {name} = {literal}  # {location.describe(with_file=False)}"


def stated_blocks(stated: list[Stated], as_checks: bool) -> list[str]:
    """Stated figures grouped by where they are printed: one block per page and table or section."""
    groups: "OrderedDict[tuple, list[Stated]]" = OrderedDict()
    for figure in stated:
        where = figure.location
        groups.setdefault((where.page, where.sheet, where.table, where.section), []).append(figure)
    lines = []
    for (page, sheet, table, section), figures in groups.items():
        lines.append("")
        if as_checks:
            lines.extend(check_line(figure) for figure in figures)
            continue
        head = "stated"
        if page is not None:
            head += f" page {page}"
        if table:
            head += f" table {quote(table)}"
        elif section:
            head += f" section {quote(section)}"
        lines.append(head + " {")
        lines.extend("  " + entry_text(figure) for figure in figures)
        lines.append("}")
    return lines


def entry_text(figure: Stated) -> str:
    where = figure.location
    text = f"{figure.expr} = {figure.literal}"
    if where.row:
        text += f" row {quote(where.row)}"
    if where.column:
        text += f" column {quote(where.column)}"
    if where.sentence:
        text += f" sentence {quote(where.sentence)}"
    return text


def check_line(figure: Stated) -> str:
    """Until the language has `stated`, a published figure is a check whose message says where."""
    return f"check {figure.expr} == {figure.literal} {quote('published: ' + figure.location.describe())}"
