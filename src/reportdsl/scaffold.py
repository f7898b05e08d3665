"""`reportdsl new`: a starting report on a layout, holding every input the layout needs as a
placeholder (`?`) with the layout's comment saying what it is. `reportdsl check` then lists each
input still open (RD401) until the author has filled them all."""

from __future__ import annotations

from . import ast
from .compiler import read_source
from .diagnostics import CompileError, error
from .fmt_command import formatted
from .layouts import layout_path, packaged_layouts
from .parser import parse
from .source import SourceFile


def is_input(statement) -> bool:
    return (isinstance(statement, ast.Fact) and isinstance(statement.value, ast.Placeholder)) or \
        isinstance(statement, ast.Items)


def with_comments(source: SourceFile, statement) -> str:
    """The statement's text as the layout has it, with the comment lines just above it."""
    start_line = statement.span.line
    while start_line > 1 and source.line_text(start_line - 1).strip().startswith("#"):
        start_line -= 1
    end_line = source.position(statement.span.end - 1)[0]
    lines = [source.line_text(n).strip() if n == start_line or not isinstance(statement, ast.Items)
             else source.line_text(n) for n in range(start_line, end_line + 1)]
    return "\n".join(lines)


def join_blocks(blocks: list[str]) -> str:
    """One input a line; a blank line before each that has comments above it, and around a tree."""
    text, previous = "", ""
    for block in blocks:
        if text:
            separate = block.startswith("#") or block.lstrip().startswith("items") or previous.lstrip().startswith("items") \
                or "\nitems" in previous
            text += "\n\n" if separate else "\n"
        text += block
        previous = block
    return text


def new_report(layout: str, department: str, year: int, target: str) -> str:
    path = layout_path(layout, target)
    if path is None:
        names = ", ".join(sorted(packaged_layouts()))
        raise CompileError([error("RD006", f"no layout named '{layout}'", None, f"layouts in the package: {names}")])
    source = read_source(path)
    layout_ast = parse(source)
    if not isinstance(layout_ast.header, ast.LayoutHeader):
        raise CompileError([error("RD006", f"'{layout}' is a report, not a layout", None)])
    name = layout if layout.replace("_", "").isalnum() else f'"{layout}"'
    unit = f" unit {layout_ast.header.unit}" if layout_ast.header.unit else ""
    blocks = [with_comments(source, s) for s in ast.statements(layout_ast.body) if is_input(s)]
    text = (f'report "{department}" year {year}{unit} layout {name}\n\n'
            f"# Every input the layout {layout} needs. Replace each ? with the figure or the text;\n"
            "# `reportdsl check` lists those still open. Sections of your own: see docs/layouts.md.\n\n"
            + join_blocks(blocks) + "\n")
    return formatted(SourceFile(target, text))
