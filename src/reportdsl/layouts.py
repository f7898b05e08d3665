"""Layouts: a province's parts, sections, formulae, tables and charts, written once in a layout
file and shared by every department's report.

A report on a layout is merged with it before evaluation: the report's facts, lets and items
replace the layout's of the same name (a layout's `fact x = ?` is an input the report fills); a
named part, section or paragraph of the report replaces the layout's of that name, where it
stands; one with `after NAME` / `before NAME` is put there; anything else is appended. What the
layout defines keeps the layout's file and lines, so its diagnostics point into the layout. A
report's fact that fills a layout's `fact x = ? within W` stays a part of W.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Iterable, Optional

import attrs

from . import ast
from .diagnostics import Diagnostic, error, warning

DEFINITIONS = (ast.Fact, ast.Let, ast.Items, ast.Check, ast.Stated, ast.Classification)
NAMED = (ast.Part, ast.Section, ast.Para)


def packaged_layouts() -> dict[str, str]:
    """Name -> path of the layouts shipped in the package (src/reportdsl/layouts/NAME.rpt)."""
    folder = resources.files("reportdsl").joinpath("layouts")
    return {entry.name[:-4]: str(entry) for entry in folder.iterdir() if entry.name.endswith(".rpt")}


def layout_path(name: str, report_path: str) -> Optional[str]:
    """A layout named by file (`layout "mine.rpt"`, relative to the report) or by name (packaged)."""
    if name.endswith(".rpt"):
        return str(Path(report_path).parent / name)
    return packaged_layouts().get(name)


# ---- merging ---------------------------------------------------------------------------------------


CONTAINERS = (ast.Part, ast.Section, ast.ListBlock)  # what a named statement may stand inside


def definition_key(statement) -> Optional[tuple]:
    if isinstance(statement, (ast.Fact, ast.Let)):
        return ("figure", statement.target.name, statement.target.period)
    if isinstance(statement, ast.Items):
        return ("items", statement.name)
    return None




class Merger:
    def __init__(self, report: ast.Report, layout: ast.Report):
        self.report, self.layout = report, layout
        self.problems: list[Diagnostic] = []
        self.overridden = {definition_key(s) for s in ast.statements(report.body) if definition_key(s)}
        self.hoisted: list = []  # definitions of replaced layout sections, kept
        self.wholes = of_layout(layout, "wholes", lambda: {
            definition_key(s): s.within for s in ast.statements(layout.body) if isinstance(s, ast.Fact) and s.within is not None})

    def merge(self) -> ast.Report:
        body = list(self.strip(self.layout.body))
        appended = []
        # stripping takes only definitions out: the tables are the layout's
        tables = of_layout(self.layout, "tables", lambda: {s.name for s in ast.statements(tuple(body))
                                                            if isinstance(s, ast.Table)})
        for statement in self.keep_wholes(self.report.body):
            if isinstance(statement, NAMED) and (statement.name or getattr(statement, "anchor", None)):
                if not self.place(body, statement):
                    appended.append(statement)
            elif isinstance(statement, ast.Table) and statement.name in tables:
                replace_or_insert(body, statement.name, statement, "replace", self)
            else:
                appended.append(statement)
        merged = tuple(self.hoisted) + tuple(body) + tuple(appended)
        return attrs.evolve(self.report, body=merged)

    def keep_wholes(self, body) -> Iterable:
        """The report's facts, each still `within` the whole the layout gives it (a 其中 figure stays one
        when a report types it)."""
        for statement in body:
            whole = self.wholes.get(definition_key(statement)) if isinstance(statement, ast.Fact) else None
            if whole is not None and statement.within is None:
                yield attrs.evolve(statement, within=whole)
            elif isinstance(statement, CONTAINERS):
                yield attrs.evolve(statement, body=tuple(self.keep_wholes(statement.body)))
            else:
                yield statement

    def strip(self, body) -> Iterable:
        """The layout without the definitions the report replaces."""
        for statement in body:
            if definition_key(statement) in self.overridden:
                continue
            if isinstance(statement, CONTAINERS):
                yield attrs.evolve(statement, body=tuple(self.strip(statement.body)))
            else:
                yield statement

    def place(self, body: list, statement) -> bool:
        """Put a report's named or anchored statement into the layout; False if it has no place there."""
        anchor = getattr(statement, "anchor", None)
        target = anchor[1] if anchor else statement.name
        if replace_or_insert(body, target, statement, anchor[0] if anchor else "replace", self):
            return True
        known = [s.name for s in ast.statements(body) if isinstance(s, NAMED) and s.name]
        import difflib

        close = difflib.get_close_matches(target, known, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else f"the layout's names are: {', '.join(known) or 'none'}"
        self.problems.append(error("RD111", f"the layout has no part, section or paragraph named '{target}'",
                                   statement.span, hint,
                                   "a part or section with no name and no anchor is added at the end instead"))
        return True

    def replacement(self, existing, statement):
        """What stands in place of the layout's `existing` once the report's `statement` replaces it."""
        if isinstance(existing, ast.Table) and isinstance(statement, ast.Table) and not statement.columns:
            return attrs.evolve(existing, title=statement.title, notes=statement.notes or existing.notes,
                                empty_note=existing.empty_note if statement.empty_note is None else statement.empty_note,
                                above=existing.above if statement.above is None else statement.above)
        if isinstance(existing, (ast.Part, ast.Section)) and getattr(statement, "retitle", False):
            return attrs.evolve(existing, title=statement.title)
        if isinstance(existing, (ast.Part, ast.Section)):
            self.hoisted.extend(s for s in ast.statements(existing.body) if isinstance(s, DEFINITIONS))
            self._warn_if_emptied(existing, statement)
        return statement

    def _warn_if_emptied(self, existing, statement) -> None:
        kept = [s for s in existing.body if not isinstance(s, DEFINITIONS)]
        if isinstance(statement, (ast.Part, ast.Section)) and not statement.body and kept:
            kind = "part" if isinstance(existing, ast.Part) else "section"
            self.problems.append(warning(
                "RD120", f"this empty {kind} replaces the layout's '{existing.name}' and drops what it holds "
                f"({len(kept)} section(s), paragraph(s) or table(s))", statement.span,
                f'to change only the title, write it without braces: {kind} {existing.name} "…"',
                "to leave it empty on purpose, keep the braces: this warning then says so"))


def replace_or_insert(body: list, target: str, statement, how: str, merger: Merger) -> bool:
    for index, existing in enumerate(body):
        if isinstance(existing, (*NAMED, ast.Table)) and existing.name == target:
            if how == "replace":
                body[index] = merger.replacement(existing, statement)
            else:
                body.insert(index + (how == "after"), statement)
            return True
        if isinstance(existing, CONTAINERS):
            inner = list(existing.body)
            if replace_or_insert(inner, target, statement, how, merger):
                body[index] = attrs.evolve(existing, body=tuple(inner))
                return True
    return False


def duplicate_names(report: ast.Report) -> list[Diagnostic]:
    """A part, section or paragraph name used twice in one file: a replacement could not tell which."""
    first: dict[str, object] = {}
    problems = []
    for statement in ast.statements(report.body):
        if isinstance(statement, NAMED) and statement.name and not getattr(statement, "anchor", None):
            if statement.name in first:
                problems.append(error("RD102", f"the name '{statement.name}' is given twice", statement.span,
                                      "parts, sections and paragraphs of one file need names of their own",
                                      related=((first[statement.name].span, "first here"),)))
            else:
                first[statement.name] = statement
    return problems


def apply_layout(report: ast.Report, layout: ast.Report) -> tuple[ast.Report, list[Diagnostic]]:
    merger = Merger(report, layout)
    merged = merger.merge()
    layout_duplicates = of_layout(layout, "duplicates", lambda: duplicate_names(layout))
    return merged, layout_duplicates + duplicate_names(report) + merger.problems


SWAPPED = (ast.Fact, ast.Let, ast.Items, ast.Check)


class KeptMerge:
    """apply_layout for an editor, which merges the same layout into a report of which, at each pause
    in typing, mostly one statement changed: when only top-level facts, lets, items and checks
    changed, each for one of the same name (or renamed, when neither name is the layout's), the merge
    is the last one with each put in place of the one before (they stand in it as they are, after the
    layout's statements)."""

    def __init__(self):
        self.last: tuple = (None, None, None, [])  # layout, report, merged, problems

    def apply(self, report: ast.Report, layout: ast.Report) -> tuple[ast.Report, list[Diagnostic]]:
        merged = self._again(report, layout)
        if merged is None:
            merged, problems = apply_layout(report, layout)
            self.last = (layout, report, merged, problems)
            return merged, problems
        self.last = (layout, report, merged, [])
        return merged, []

    def _again(self, report: ast.Report, layout: ast.Report) -> Optional[ast.Report]:
        last_layout, last_report, merged, problems = self.last
        if layout is not last_layout or last_report is None or report.header is not last_report.header \
                or len(report.body) != len(last_report.body) or problems:
            return None
        swaps = {}
        for before, now in zip(last_report.body, report.body):
            if before is now:
                continue
            if type(before) is not type(now) or not isinstance(now, SWAPPED):
                return None
            if definition_key(before) != definition_key(now) and not self._the_reports_own(layout, before, now):
                return None
            swaps[id(before)] = now
        body = tuple(swaps.pop(id(statement), statement) for statement in merged.body)
        if swaps:  # one of them does not stand in the merge as it is (a fact given its whole, …)
            return None
        return attrs.evolve(report, body=body)

    @staticmethod
    def _the_reports_own(layout: ast.Report, *statements) -> bool:
        """A renamed definition that, under either name, replaces none of the layout's: the layout's
        statements are merged as they were."""
        defined = of_layout(layout, "definitions", lambda: {definition_key(s) for s in ast.statements(layout.body)})
        return not any(definition_key(statement) in defined for statement in statements)


# What is worked out from a layout alone, kept for the last layout object met: an editor merges the same
# (kept) layout into the report at every pause in typing.
_of_layout: dict[str, tuple[object, object]] = {}


def of_layout(layout: ast.Report, what: str, work_out):
    kept = _of_layout.get(what)
    if kept is None or kept[0] is not layout:
        kept = _of_layout[what] = (layout, work_out())
    return kept[1]
