"""Diagnostics in the order a person fixes them: the causes first, what follows from them folded in.

- A diagnostic placed in the layout that names a line of the report (its `related` places) is shown
  at that report line, with the layout's line as a note: the author edits the report, not the layout.
- Roots come first: a syntax error, a file that cannot be read or used (RD001, RD004–RD006), a parent
  that does not add up (RD301). Then the report's own diagnostics, then those in other files, each
  by position.
- What follows from a root is folded under it as notes: with a prior-year report missing, every
  `X@上年` it would have given is undefined (RD101); with a parent that does not add up (RD301), each
  check, stated figure or printed figure whose expression reads that parent (through names, totals
  and loops: dependencies.py) fails with it; with an input still to fill (`?`, RD401), a check or
  printed figure that reads it cannot be judged yet (a layout's `x ?? 0` reads the `?` as 0). A
  finding that does not read it stays on its own.
- A diagnostic placed in the layout with no report line of its own is shown at the first report
  line its figures depend on, the others and the layout line as notes.
- Diagnostics saying the same at the same report line are shown once, every layout line as a note.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import attrs

from .diagnostics import Diagnostic
from .dependencies import Provenance

ROOTS = ("RD001", "RD004", "RD005", "RD006", "RD301")
# what a figure still `?` makes fail: checks, stated figures, and a rate or direction word printed from it
UNDECIDED_WHILE_OPEN = ("RD201", "RD302", "RD303", "RD304", "RD305", "RD306", "RD308", "RD402", "RD412")
FOLLOW_ON_OF = {
    "RD005": lambda d, root, provenance: d.code == "RD101" and re.search(r"@上年'", d.message) is not None,
    "RD301": lambda d, root, provenance: provenance is not None and provenance.follows(d, root),
    "RD401": lambda d, root, provenance: (d.code in UNDECIDED_WHILE_OPEN and provenance is not None
                                          and provenance.reads_input(d, root)),
}
MAX_NOTES = 8


def causes_first(diagnostics: list[Diagnostic], report_path: str,
                 provenance: Optional[Provenance] = None) -> list[Diagnostic]:
    folded = fold(diagnostics, provenance)
    clause = provenance.layout_clause() if provenance is not None else None
    placed = [at_report_line(with_report_inputs(d, report_path, provenance), report_path, clause) for d in folded]
    return sorted(merged_at_one_place(placed), key=lambda d: order(d, report_path))


def merged_at_one_place(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic where several say the same at the same report line (a layout that prints one
    figure in two sentences): the author has one thing to fix; each layout line stays as a note."""
    by_place: dict[tuple, Diagnostic] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.code, diagnostic.severity, diagnostic.message, diagnostic.span)
        first = by_place.get(key)
        if first is None:
            by_place[key] = diagnostic
        else:
            extra = tuple(r for r in diagnostic.related if r not in first.related)
            by_place[key] = attrs.evolve(first, related=(*first.related, *extra))
    return list(by_place.values())


def with_report_inputs(diagnostic: Diagnostic, report_path: str, provenance: Optional[Provenance]) -> Diagnostic:
    """A diagnostic in the layout that names no report line: the report lines its figures come from."""
    span = diagnostic.span
    if provenance is None or span is None or span.path == report_path:
        return diagnostic
    if any(s is not None and s.path == report_path for s, _ in diagnostic.related):
        return diagnostic
    inputs = provenance.report_inputs(diagnostic)
    return attrs.evolve(diagnostic, related=(*inputs, *diagnostic.related)) if inputs else diagnostic


def at_report_line(diagnostic: Diagnostic, report_path: str, layout_clause=None) -> Diagnostic:
    """At the first report line among its places, else (a layout's input the report does not give) at the
    header's `layout …` clause; the layout's line as a note."""
    span = diagnostic.span
    if span is None or span.path == report_path or not span.line:
        return diagnostic
    mine = [(s, note) for s, note in diagnostic.related if s is not None and s.path == report_path and s.line]
    if not mine and (layout_clause is None or layout_clause.path != report_path):
        return diagnostic
    cause = mine[0][0] if mine else layout_clause
    others = tuple(r for r in diagnostic.related if r[0] != cause)
    layout = Path(span.path).stem
    return attrs.evolve(diagnostic, span=cause, related=((span, f"the line of the layout {layout} it comes from"), *others))


def fold(diagnostics: list[Diagnostic], provenance: Optional[Provenance]) -> list[Diagnostic]:
    roots = [d for d in diagnostics if d.code in FOLLOW_ON_OF and d.is_error]
    if not roots:
        return diagnostics
    kept, notes = [], {id(root): [] for root in roots}
    for diagnostic in diagnostics:
        root = next((r for r in roots if r is not diagnostic and r.code != diagnostic.code
                     and FOLLOW_ON_OF[r.code](diagnostic, r, provenance)), None)
        if root is None:
            kept.append(diagnostic)
        else:
            notes[id(root)].append(diagnostic)
    return [with_follow_ons(d, notes[id(d)]) if id(d) in notes and notes[id(d)] else d for d in kept]


def with_follow_ons(root: Diagnostic, follow_ons: list[Diagnostic]) -> Diagnostic:
    shown = tuple((d.span, f"follows from this: {d.severity.value}[{d.code}] {d.message}")
                  for d in follow_ons[:MAX_NOTES] if d.span is not None)
    more = len(follow_ons) - len(shown)
    extra = (f"{more} more diagnostic(s) follow from this one",) if more > 0 else ()
    return attrs.evolve(root, related=(*root.related, *shown), help=(*root.help, *extra))


def order(diagnostic: Diagnostic, report_path: str) -> tuple:
    span = diagnostic.span
    elsewhere = span is not None and span.path != report_path
    where = (span.line, span.column) if span is not None else (0, 0)
    return (diagnostic.code not in ROOTS, elsewhere, span.path if elsewhere else "", *where, diagnostic.code,
            diagnostic.message)
