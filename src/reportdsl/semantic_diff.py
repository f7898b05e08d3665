"""`reportdsl diff OLD NEW`: what changed in meaning, not in bytes.

Typed inputs that changed (with their lines), derived figures that changed as a consequence,
checks that now fail or now pass, and the published sentences and table rows that read
differently, old beside new with the changed characters marked.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterator, Optional

import attrs

from . import ast
from .compiler import Result
from .model import NamedFigure, Paragraph, TableModel


@attrs.frozen
class FigureChange:
    name: str
    old: Optional[NamedFigure]
    new: Optional[NamedFigure]


@attrs.frozen
class SemanticDiff:
    inputs: tuple[FigureChange, ...]
    derived: tuple[FigureChange, ...]
    now_failing: tuple[str, ...]
    now_passing: tuple[str, ...]
    sentences: tuple[tuple[Optional[str], Optional[str]], ...]
    tables: tuple[tuple[Optional[str], Optional[str]], ...]

    @property
    def equal(self) -> bool:
        return not (self.inputs or self.derived or self.now_failing or self.now_passing or self.sentences or self.tables)


def figure_key(figure: NamedFigure) -> str:
    return ast.name_at(figure.name, figure.period)


def figure_changes(old: Result, new: Result, kinds: set[str]) -> tuple[FigureChange, ...]:
    before = {figure_key(f): f for f in named(old) if f.kind in kinds}
    after = {figure_key(f): f for f in named(new) if f.kind in kinds}
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        a, b = before.get(key), after.get(key)
        if a is None or b is None or (a.value, a.unit, a.gap, a.shown) != (b.value, b.unit, b.gap, b.shown):
            changes.append(FigureChange(key, a, b))
    return tuple(changes)


def named(result: Result) -> tuple[NamedFigure, ...]:
    return result.document.named if result.document is not None else ()


def check_lines(result: Result) -> list[str]:
    return [f"{d.severity.value}[{d.code}]: {d.message}" for d in result.diagnostics]


def paired_lines(old: list[str], new: list[str]) -> tuple[tuple[Optional[str], Optional[str]], ...]:
    """Lines that differ, paired where one replaced the other."""
    pairs: list[tuple[Optional[str], Optional[str]]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = old[i1:i2], new[j1:j2]
        for index in range(max(len(olds), len(news))):
            pairs.append((olds[index] if index < len(olds) else None, news[index] if index < len(news) else None))
    return tuple(pairs)


def sentences(result: Result) -> list[str]:
    if result.document is None:
        return []
    return [b.full_text for b in result.document.blocks if isinstance(b, Paragraph)]


def table_rows(result: Result) -> list[str]:
    if result.document is None:
        return []
    rows = []
    for table in (b for b in result.document.blocks if isinstance(b, TableModel)):
        rows += [f"{table.title} | " + " | ".join(cell.text for cell in row) for row in table.rows]
    return rows


def semantic_diff(old: Result, new: Result) -> SemanticDiff:
    old_checks, new_checks = check_lines(old), check_lines(new)
    return SemanticDiff(
        inputs=figure_changes(old, new, {"fact", "item"}),
        derived=figure_changes(old, new, {"let", "sum"}),
        now_failing=tuple(c for c in new_checks if c not in old_checks),
        now_passing=tuple(c for c in old_checks if c not in new_checks),
        sentences=paired_lines(sentences(old), sentences(new)),
        tables=paired_lines(table_rows(old), table_rows(new)),
    )


# ---- text -------------------------------------------------------------------------------------------


def marked(old: str, new: str) -> str:
    """The new text with the changed characters marked: 下降 [-15.8%-]{+16.3%+}."""
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(old[i1:i2])
            continue
        if i2 > i1:
            out.append(f"[-{old[i1:i2]}-]")
        if j2 > j1:
            out.append(f"{{+{new[j1:j2]}+}}")
    return "".join(out)


def figure_text(figure: Optional[NamedFigure]) -> str:
    if figure is None:
        return "(none)"
    if figure.gap:
        return f"(no value: {figure.gap})"
    return figure.shown + (f" {figure.unit}" if figure.unit and figure.unit != "%" and figure.value is not None
                           and figure.unit not in figure.shown else "")


def where(change: FigureChange) -> str:
    """Where the figure is written (its report, or the layout that defines it), each place once:
    (f:87), (f:87 → 90) or (old:87, new:90)."""
    places = [span for span in (change.old and change.old.span, change.new and change.new.span) if span]
    if len(places) == 2 and places[0].path == places[1].path:
        old, new = places
        return f"   ({readable(old.path)}:{old.line}" + (f" → {new.line})" if new.line != old.line else ")")
    return f"   ({', '.join(f'{readable(span.path)}:{span.line}' for span in places)})" if places else ""


def readable(path: str) -> str:
    """A path relative to the working folder when it is inside it (a packaged layout stays absolute)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def render(diff: SemanticDiff, old_path: str, new_path: str) -> Iterator[str]:
    if diff.equal:
        yield f"{old_path} and {new_path} mean the same: no figure, check or sentence differs"
        return
    sections = (("inputs changed", diff.inputs), ("derived figures changed", diff.derived))
    for title, changes in sections:
        if changes:
            yield f"{title}:"
            for change in changes:
                yield (f"  {change.name}: {figure_text(change.old)} → {figure_text(change.new)}"
                       f"{where(change)}")
    if diff.now_failing or diff.now_passing:
        yield "checks:"
        yield from (f"  now failing: {line}" for line in diff.now_failing)
        yield from (f"  now passing: {line}" for line in diff.now_passing)
    for title, pairs in (("sentences that read differently", diff.sentences), ("table rows", diff.tables)):
        if pairs:
            yield f"{title}:"
            for old, new in pairs:
                yield from pair_lines(old, new)


def pair_lines(old: Optional[str], new: Optional[str]) -> Iterator[str]:
    if old is not None:
        yield f"  - {old}"
    if new is not None:
        yield f"  + {new}"
    if old is not None and new is not None:
        yield f"  ~ {marked(old, new)}"
    yield ""
