"""What is left to fill in a report — each `?`, `reason ?` and `# review:` line `check` reports (RD401,
RD410) — grouped by the section of the document that prints it, in the document's order: the summary
`check` ends with, so that a report made by `next-year` reads as a list of work, section by section.

An input goes to the first section that prints it or a figure computed from it (dependencies.py); a
review goes to the section of the text below it; what no section prints (an input only a check reads,
a check to review) is listed last.
"""

from __future__ import annotations

import bisect
import re
from typing import Optional

import attrs

from . import ast
from .dependencies import Dependencies
from .model import Heading, Paragraph
from .text_width import display_width
from .values import Missing

TO_FILL = ("RD401", "RD410")
PRINTING = (ast.Para, ast.TextBlock, ast.ListBlock, ast.ForBlock, ast.IfBlock)
NOT_PRINTED = "not printed (read by checks only, or a check to review)"
WIDTH = 100
TITLE_WIDTH = 60


@attrs.frozen
class Entry:
    label: str
    line: int

    @property
    def text(self) -> str:
        return f"{self.label} {self.line}"


def to_fill(result) -> list[tuple[str, list[Entry]]]:
    """(section, its entries) in the order of the document; the entries in the order of the file."""
    path = result.source.path
    wanted = [d for d in result.diagnostics if d.code in TO_FILL and d.span is not None and d.span.path == path]
    if not wanted or result.document is None or result.names is None:
        return []
    sections = Sections(result)
    groups: dict[int, list[Entry]] = {}
    for diagnostic in sorted(wanted, key=lambda d: (d.span.line, d.span.column)):
        groups.setdefault(sections.of(diagnostic), []).append(Entry(label(diagnostic, result.source), diagnostic.span.line))
    return [(sections.title(index), groups[index]) for index in sorted(groups, key=lambda i: (i < 0, i))]


def render(result, groups: list[tuple[str, list[Entry]]]) -> str:
    inputs = sum(1 for _, entries in groups for e in entries if not e.label.startswith("review"))
    reviews = sum(len(entries) for _, entries in groups) - inputs
    lines = [f"to fill in {result.source.path}: {inputs} input(s), {reviews} review(s), by the section that prints "
             "them (name line):"]
    for title, entries in groups:
        lines.append(f"  {title} ({len(entries)})")
        lines.extend(wrapped([e.text for e in entries], "      "))
    return "\n".join(lines)


def wrapped(words: list[str], indent: str) -> list[str]:
    lines, current = [], ""
    for word in words:
        candidate = f"{current}, {word}" if current else word
        if current and display_width(indent + candidate) > WIDTH:
            lines.append(indent + current + ",")
            candidate = word
        current = candidate
    return lines + [indent + current] if current else lines


_FACT = re.compile(r"^'(.+)' is not filled in$")
_MEASURE = re.compile(r"^(\S+) of '(.+)' is not filled in$")
_TEXT = re.compile(r"^the (reason|note) of '(.+)' is not written yet$")
_NAMING = re.compile(r"[^\W\d_]")  # a letter or a 汉字: the text under the caret names something


def label(diagnostic, source) -> str:
    """What to fill, in a word or two: 在职人数, 行政运行 决算, 行政运行 reason, review, or a sentence's {…}."""
    message = diagnostic.message
    if diagnostic.code == "RD410":
        below = diagnostic.help[0].removeprefix("the line below: ") if diagnostic.help else ""
        return f"review “{shortened(below, 24)}”"
    for pattern in (_MEASURE, _TEXT):
        found = pattern.match(message)
        if found:
            return f"{found.group(2)} {found.group(1)}"
    found = _FACT.match(message)
    if found:
        return found.group(1)
    under = source.text[diagnostic.span.start:diagnostic.span.end].replace("\n", " ").strip()
    if not _NAMING.search(under):
        under = f"{first_word_of_line(source, diagnostic.span)} {under}".strip()
    return shortened(under, 24)


def first_word_of_line(source, span) -> str:
    """The name a line begins with (an input of a text block, an item): what a lone `-` or `?` belongs to."""
    _, start = source.line_start(span.start)
    words = source.text[start:span.start].split()
    return words[0] if words else ""


def shortened(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    while display_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


class Sections:
    """The sections of a compiled report's document, and which one prints what."""

    def __init__(self, result):
        self.result = result
        self.path = result.source.path
        blocks = result.document.blocks
        self.headings = [(b.first_figure, i) for i, b in enumerate(blocks) if isinstance(b, Heading)]
        self.titles = {i: self._title(blocks, i) for _, i in self.headings}
        self._starts = [first for first, _ in self.headings]
        self._printed: Optional[dict] = None
        self._by_dependency: Optional[dict] = None
        self._written: Optional[dict] = None
        self._fact_values: Optional[dict] = None
        self._owners: Optional[dict] = None

    @staticmethod
    def _title(blocks, index: int) -> str:
        heading = blocks[index]
        part = next((b for b in reversed(blocks[:index + 1]) if isinstance(b, Heading) and b.level == 1), None)
        if part is None or part is heading:
            return shortened(heading.text, TITLE_WIDTH)
        return f"{part.number} › {shortened(heading.text, TITLE_WIDTH)}"

    def title(self, index: int) -> str:
        return self.titles.get(index, NOT_PRINTED)

    def of_figure(self, figure: int) -> int:
        at = bisect.bisect_right(self._starts, figure) - 1
        return self.headings[at][1] if at >= 0 else -1

    def of(self, diagnostic) -> int:
        if diagnostic.code == "RD410":
            return self._below(diagnostic.span.line)
        key = self._input_span(diagnostic.span)
        found = self.printed().get(key)
        if found is None:
            measure = _MEASURE.match(diagnostic.message) or _TEXT.match(diagnostic.message)
            owner, wanted = self._owner_span(diagnostic.span), (measure.group(1) if measure else None)
            readers = [*self.by_dependency().get(owner, ()), *self.written_readers().get(owner, ())]
            found = next((section for section, names in readers if wanted is None or wanted in names), -1)
        return found

    def written_readers(self) -> dict:
        """The same from the text as written: the sections whose sentences, loops and conditions read a
        declaration, for what nothing printed yet (a loop over items still `?`, a clause whose condition
        waits for a figure)."""
        if self._written is None:
            headings = {b.span: i for i, b in enumerate(self.result.document.blocks)
                        if isinstance(b, Heading) and b.span is not None}
            self._written = {}
            self._read_in(self.result.report.body, None, headings, Dependencies(self.result.names))
        return self._written

    def _read_in(self, body, section, headings: dict, dependencies: Dependencies) -> None:
        for statement in body:
            if isinstance(statement, (ast.Part, ast.Section)):
                self._read_in(statement.body, headings.get(statement.span, section), headings, dependencies)
            elif section is not None and isinstance(statement, PRINTING):
                names = {node.name for node in ast.walk(statement) if isinstance(node, ast.Attr)}
                for decl in dependencies.declarations(dependencies.of(statement)):
                    if decl.span is not None:
                        self._written.setdefault(decl.span, []).append((section, names))

    def printed(self) -> dict:
        """The span of each `?` (or of a sentence's own blank) → the first section printing it."""
        if self._printed is None:
            self._printed = {}
            for index, use in enumerate(self.result.document.figures):
                section = self.of_figure(index)
                if isinstance(use.value, Missing) and use.value.span is not None:
                    self._printed.setdefault(use.value.span, section)
                if use.span is not None:
                    self._printed.setdefault(use.span, section)
        return self._printed

    def by_dependency(self) -> dict:
        """The span of each declaration in the report → the sections printing a figure that reads it, in
        order, each with the measures its expression names (for an input hidden behind another: a total
        of two `?` shows only the first)."""
        if self._by_dependency is None:
            dependencies, found = Dependencies(self.result.names), {}
            for index, use in enumerate(self.result.document.figures):
                if use.expr is None or not isinstance(use.value, Missing):
                    continue
                names = {node.name for node in ast.walk(use.expr) if isinstance(node, ast.Attr)}
                for decl in dependencies.declarations(dependencies.of(use.expr, use.scope)):
                    if decl.span is not None:
                        found.setdefault(decl.span, []).append((self.of_figure(index), names))
            self._by_dependency = found
        return self._by_dependency

    def _input_span(self, span):
        """A fact is reported at its declaration; its `?` is what the document's blanks point at."""
        if self._fact_values is None:
            self._fact_values = {d.span: d.value.span for d in self.result.names.definitions.values()
                                 if isinstance(d, ast.Fact)}
        return self._fact_values.get(span, span)

    def _owner_span(self, span):
        """An item's `?` or `reason ?` belongs to the item (what a dependency names)."""
        if self._owners is None:
            self._owners = {value.span: node.span for tree in self.result.names.trees.values() for node in tree.walk()
                            for value in (*node.values.values(), *node.attributes.values())
                            if getattr(value, "span", None) is not None}
        return self._owners.get(span, span)

    def _below(self, line: int) -> int:
        """The section of the text under a `# review:` line: the first heading or paragraph written below it."""
        nearest = None
        for index, block in enumerate(self.result.document.blocks):
            span = block.span
            if isinstance(block, (Heading, Paragraph)) and span is not None and span.path == self.path \
                    and line < span.line <= line + 20 and (nearest is None or span.line < nearest[0]):
                nearest = (span.line, index)
        if nearest is None:
            return -1
        heading = nearest[1] if isinstance(self.result.document.blocks[nearest[1]], Heading) else None
        if heading is not None:
            return heading
        return max((i for _, i in self.headings if i < nearest[1]), default=-1)
