"""Each diagnostic of the imported report, taken back to where the document prints the figures it
is about: a stated figure to its page, table, row and column (or section and sentence); a parent
that does not add up to its item's cell; a check to every printed place of the figures it names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional

import attrs

from .. import ast
from ..diagnostics import Diagnostic
from ..expr_printer import render_expr
from ..importing.located import Location

EXPLAIN_LINES = 6


@attrs.frozen
class Finding:
    code: str
    severity: str
    message: str
    help: tuple[str, ...]
    places: tuple[Location, ...]  # where the document prints the figures involved; the first is the fault's
    printed: Optional[str]  # the figure as the document prints it
    expected: Optional[str]  # the figure the document's own data give
    explain: tuple[str, ...]  # how that figure is obtained (short)
    rpt: Optional[str]  # "kept.rpt:12", the line of the imported report
    rpt_text: Optional[str]  # that line's text

    @property
    def place(self) -> Optional[Location]:
        return self.places[0] if self.places else None


def locate_all(diagnostics: Iterable[Diagnostic], result, imported) -> list[Finding]:
    index = Index(result, imported)
    return [index.finding(d) for d in diagnostics]


def location_key(page, place, row, column, sentence) -> tuple:
    return (page, place, row, column, sentence)


class Index:
    def __init__(self, result, imported):
        self.result = result
        self.imported = imported
        ev = result.evaluator
        self.entries = {}
        self.by_expr: dict[str, list[Location]] = {}
        self.imported_places = {location_key(s.location.page, s.location.table or s.location.section,
                                             s.location.row, s.location.column, s.location.sentence): s.location
                                for s in imported.stated}
        for block in (ev.stated if ev else ()):
            for entry in block.entries:
                self.entries[entry.span] = (block, entry)
                self.by_expr.setdefault(render_expr(entry.expr), []).append(self.entry_place(block, entry))
        self.nodes = {node.span: node for tree in (ev.trees.values() if ev else ()) for node in tree.by_key.values()}
        self.checks = {check.span: check for check in (ev.checks if ev else ())}
        self.parts = {fact.span: fact for fact in (ev.facts_within if ev else ())}
        self.facts = {decl.span: decl for decl in (ev.definitions.values() if ev else ()) if isinstance(decl, ast.Fact)}
        self.locations = dict(imported.locations)

    def entry_place(self, block: ast.Stated, entry: ast.StatedEntry) -> Location:
        where = block.place[1] if block.place else None
        found = self.imported_places.get(location_key(block.page, where, entry.row, entry.column, entry.sentence))
        if found is not None:
            return found
        table = where if block.place and block.place[0] == "table" else None
        section = where if block.place and block.place[0] == "section" else None
        return Location(self.imported.disclosure.path if self.imported.disclosure else "", block.page, None, table,
                        entry.row, entry.column, section, entry.sentence)

    def finding(self, diagnostic: Diagnostic) -> Finding:
        span = diagnostic.span
        places, explain = (), ()
        if span in self.entries:
            block, entry = self.entries[span]
            places, explain = (self.entry_place(block, entry),), self.explain_expr(entry.expr)
        elif span in self.nodes and diagnostic.code == "RD547":
            places = self.purpose_places(self.nodes[span]) + self.node_places(self.nodes[span], "")[0]
        elif span in self.nodes:
            places, explain = self.node_places(self.nodes[span], diagnostic.message)
        elif span in self.checks:
            check = self.checks[span]
            places, explain = self.expr_places(check.expr), self.explain_expr(check.expr)
        elif span in self.parts:
            part, whole = (ast.Name(ref.name, ref.period, span=ref.span) for ref in (self.parts[span].target,
                                                                                    self.parts[span].within))
            rows = "as its rows add up" in diagnostic.message
            places, explain = self.expr_places(part) + self.expr_places(whole), self.explain_expr(whole, rows)
        elif span in self.facts:
            target = self.facts[span].target
            places = self.expr_places(ast.Name(target.name, target.period, span=target.span))
        printed, expected = figures_of(diagnostic)
        return Finding(diagnostic.code, diagnostic.severity.value, diagnostic.message, diagnostic.help,
                       tuple(dict.fromkeys(places)), printed, expected, explain, *self.rpt_line(span))

    def node_places(self, node, message: str):
        measure = re.match(r"^(\S+) of '", message)
        measures = [measure.group(1)] if measure else list(self.result.evaluator.trees[node.tree].measures)
        printed = [node] + list(node.children)  # the parent's cell first, then the rows it should add up
        places = [self.locations[f"{n.tree}[{n.key}].{m}"] for n in printed for m in measures
                  if f"{n.tree}[{n.key}].{m}" in self.locations]
        if not measure:  # about the item itself (its name): first where a table prints its row
            places.sort(key=lambda place: place.table is None)
        explain = ()
        if measure:
            explain = self.trace(lambda tracer: tracer.node(node, measure.group(1), 0))
        return tuple(places), explain

    def purpose_places(self, node) -> tuple[Location, ...]:
        """The sentence printing an item's purpose: the first that follows the item's name."""
        from .paragraphs import paragraph_places, sentence_place

        note = self.result.evaluator.eval(node.attributes["note"], {})
        paragraphs = list(paragraph_places(self.imported.disclosure)) if self.imported.disclosure else []
        for index, (text, place) in enumerate(paragraphs):
            start = text.find(note) if isinstance(note, str) else -1
            before = "".join(t for t, _ in paragraphs[max(0, index - 2):index]) + text[:max(start, 0)]
            if start >= 0 and node.name in "".join(before.split()):
                return (sentence_place(text, place, start, start + len(note)),)
        return ()

    def expr_places(self, expr, depth: int = 0) -> tuple[Location, ...]:
        """Where the figures an expression names are printed; a name printed nowhere is followed
        into its definition (a `let` over printed figures), two levels deep."""
        from ..ast import references

        places = []
        for reference in references(expr):
            text = render_expr(reference)
            found = self.by_expr.get(text, []) + ([self.locations[text]] if text in self.locations else [])
            if not found and depth < 2 and isinstance(reference, ast.Name):
                definition = self.result.evaluator.definitions.get((reference.name, self.result.evaluator.period(reference.period)))
                if isinstance(definition, ast.Let):
                    found = list(self.expr_places(definition.expr, depth + 1))
            places += found
        return tuple(places)

    def explain_expr(self, expr, from_rows: bool = False) -> tuple[str, ...]:
        return self.trace(lambda tracer: tracer.figure(expr, {}), from_rows)

    def trace(self, walk, from_rows: bool = False) -> tuple[str, ...]:
        """The explain chain, shortened; `from_rows`: with each parent the sum of its rows."""
        from ..explain import Tracer

        try:
            lines = []
            tracer = Tracer(self.result)
            if from_rows:
                tracer.ev = tracer.ev.rows_twin()
            for line in walk(tracer):
                lines.append(line)
                if len(lines) >= EXPLAIN_LINES:
                    lines.append("  …")
                    break
            return tuple(self.shorter(line) for line in lines)
        except Exception:  # noqa: BLE001 - an explanation is a courtesy; the finding stands without it
            return ()

    def shorter(self, line: str) -> str:
        """The packaged layout named by its file name, not by this machine's path."""
        layout = self.result.layout
        return line.replace(layout.path, f"layout {Path(layout.path).name}") if layout is not None else line

    def rpt_line(self, span) -> tuple[Optional[str], Optional[str]]:
        if span is None or not span.line:
            return None, None
        source = self.result.sources.get(span.path)
        text = source.line_text(span.line).strip() if source is not None else None
        path = span.path
        if self.result.layout is not None and path == self.result.layout.path:
            path = f"layout {Path(path).name}"  # the packaged layout: its name, not this machine's path
        return f"{path}:{span.line}", text


PRINTED_GIVES = re.compile(r": ([^:;]+); the report gives (.+)$")
PARENT_ITEMS = re.compile(r" is (.+?) but its items add up to (.+)$")
PART_OF_WHOLE = re.compile(r"' \((.+?)\) is part of '.+?' \((.+?)(?: as its rows add up)?\) but larger than it$")


def figures_of(diagnostic: Diagnostic) -> tuple[Optional[str], Optional[str]]:
    """The printed figure and the one the data give, where the message names them."""
    for pattern in (PRINTED_GIVES, PARENT_ITEMS):
        found = pattern.search(diagnostic.message)
        if found:
            return found.group(1).strip(), found.group(2).strip()
    found = PART_OF_WHOLE.search(diagnostic.message)
    if found:
        return found.group(1), f"at most {found.group(2)}"
    return None, None
