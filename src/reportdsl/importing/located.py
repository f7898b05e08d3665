"""What the import found, before it is written: item values and stated figures, each with the
place in the published document it was read from (the audit reports findings there)."""

from __future__ import annotations

from typing import Optional

import attrs


class TemplateText(str):
    """A text that is already a narrative template (its figures are `{fact}`s, its braces escaped)."""


@attrs.frozen
class Location:
    """A printed figure's place: a table cell (table, row, column) or a sentence of a section,
    with the figure's character span in the sentence."""

    file: str
    page: Optional[int] = None
    sheet: Optional[str] = None
    table: Optional[str] = None
    row: Optional[str] = None
    column: Optional[str] = None
    section: Optional[str] = None
    sentence: Optional[str] = None
    span: Optional[tuple[int, int]] = None

    def describe(self, with_file: bool = True) -> str:
        parts = [self.file] if with_file else []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        for label, value in (("table", self.table), ("row", self.row), ("column", self.column),
                             ("section", self.section)):
            if value:
                parts.append(f"{label} {value!r}")
        return ", ".join(parts)


@attrs.frozen
class Stated:
    """A figure the document prints, bound to the expression it claims to be."""

    expr: str
    literal: str
    location: Location


@attrs.define
class NodeData:
    key: str
    label: str
    parent: Optional[str]
    is_code: bool
    values: dict[str, str] = attrs.Factory(dict)  # measure -> literal text ("12.50", "-", "?")
    locations: dict[str, Location] = attrs.Factory(dict)
    attributes: dict[str, str] = attrs.Factory(dict)  # note, reason


@attrs.define
class TreeData:
    name: str
    title: str
    measures: tuple[str, ...]
    nodes: dict[str, NodeData] = attrs.Factory(dict)  # in document (or layout) order

    def children(self, key: Optional[str]) -> list[NodeData]:
        return [node for node in self.nodes.values() if node.parent == key]
