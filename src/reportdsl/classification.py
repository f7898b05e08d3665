"""The standard names of the 政府收支分类科目 codes (data/classification.tsv, with its provenance),
and the check that an item printed under a code carries that code's name (RD112, a warning)."""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Iterator, Optional

import attrs

from . import ast
from .diagnostics import Diagnostic, error, warning

LEVELS = {3: "类", 5: "款", 7: "项"}


@attrs.frozen
class Standard:
    code: str
    name: str
    first_year: int
    last_year: int

    def covers(self, year: Optional[int]) -> bool:
        return year is None or self.first_year <= year <= self.last_year


@functools.lru_cache(maxsize=1)
def standard_names() -> dict[str, tuple[Standard, ...]]:
    """code -> its standard names (one per span of years), read once from the package's data file."""
    text = resources.files("reportdsl").joinpath("data", "classification.tsv").read_text(encoding="utf-8")
    table: dict[str, list[Standard]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("code\t"):
            continue
        code, name, first, last, _source = line.split("\t")
        table.setdefault(code, []).append(Standard(code, name, int(first), int(last)))
    return {code: tuple(names) for code, names in table.items()}


def normalized(name: str) -> str:
    """Names compare without spaces, and with ASCII and full-width brackets alike."""
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


class Names:
    """The standard names for one report's year, with the report's and its layout's own additions."""

    def __init__(self, year: Optional[int], local: dict[str, str]):
        self.year, self.local = year, local

    def name_of(self, code: str) -> Optional[str]:
        if code in self.local:
            return self.local[code]
        found = [s for s in standard_names().get(code, ()) if s.covers(self.year)]
        return found[-1].name if found else None


def local_names(blocks: list[ast.Classification]) -> tuple[dict[str, str], list[Diagnostic]]:
    names: dict[str, str] = {}
    problems = []
    for block in blocks:
        for entry in block.entries:
            if not (entry.code.isdigit() and len(entry.code) in (3, 5, 7)):
                problems.append(error("RD113", f"'{entry.code}' is not a classification code", entry.span,
                                      "a code is 3 (类), 5 (款) or 7 (项) digits: 2013999 \"其他社会工作事务支出\""))
            else:
                names[entry.code] = entry.name
    return names, problems


def name_mismatches(trees, names: Names) -> Iterator[Diagnostic]:
    for tree in trees:
        if not keyed_by_classification(tree):
            continue
        for node in tree.walk():
            if not node.is_code or node.label is None:
                continue
            standard = names.name_of(node.key)
            if standard is not None and normalized(node.label) != normalized(standard):
                yield _mismatch(node, standard, names)


def keyed_by_classification(tree) -> bool:
    """A tree whose numeric keys are all 3, 5 or 7 digits; one numbered 1, 2, 3 … is not."""
    return all(len(node.key) in LEVELS for node in tree.walk() if node.is_code)


def _mismatch(node, standard: str, names: Names) -> Diagnostic:
    level = LEVELS.get(len(node.key), "")
    year = f" for {names.year}" if names.year is not None else ""
    hints = [f"the standard name of {level} {node.key}{year} is '{standard}'"]
    parent = names.name_of(node.key[: len(node.key) - 2]) if len(node.key) > 3 else None
    if parent is not None and normalized(node.label) == normalized(parent):
        hints.append(f"'{node.label}' is the name of its {LEVELS.get(len(node.key) - 2, '')} {node.key[:-2]}")
    hints.append("if the name is local, add it to a `classification { … }` block of the report or the layout")
    return warning("RD112", f"'{node.label}' is not the standard name of {node.key}", node.span, *hints)
