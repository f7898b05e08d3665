"""RD545: a list in the text ("主要包括：办公费、邮电费、…") checked against the rows of the table its
items come from: an item named whose amount is zero or blank, or an item with an amount that the
list leaves out. The table is the tree of the imported report where most of the names are rows."""

from __future__ import annotations

import re
from typing import Iterator, Optional

from ..importing.listed import name_key
from ..importing.located import Location
from ..values import Quantity
from .document_checks import finding
from .paragraphs import paragraph_places, sentence_place
from .locate import Finding

# A list of items after the amount they make up: "公用经费 10.23 万元，主要包括：办公费、…"; a
# definition's "包括…" names no amount and is left alone.
LIST = re.compile(r"\d\s*(?:万元|亿元|元)\s*[，,]\s*(?:其中\s*)?(?:主要)?(?:包括|用于)[:：]?([^。；;]+)")


def list_findings(disclosure, evaluator, locations: dict) -> list[Finding]:
    if evaluator is None:
        return []
    found = []
    for text, place in paragraph_places(disclosure):
        for listed in LIST.finditer(text):
            names = [name for name in re.split(r"[、，,]", listed.group(1)) if name_key(name)]
            found += list(check_list(names, evaluator, locations, text, place, listed.start(1), listed.end(1)))
    return found


def tree_of(names: list[str], evaluator) -> Optional[tuple[object, str, list]]:
    """The tree (and its measure) most of the names are rows of, with the rows named."""
    keys = {name_key(name) for name in names}
    best = None
    for tree in evaluator.trees.values():
        measure = single_measure(tree)
        if measure is None:
            continue
        rows = [node for node in tree.by_key.values() if node.label and name_key(node.label) in keys]
        named = {name_key(node.label) for node in rows}
        if len(named) < len(rows):
            continue  # a name that is two rows of the tree cannot be told apart
        if len(named) >= 2 and len(named) * 2 >= len(keys) and (best is None or len(rows) > len(best[2])):
            best = (tree, measure, rows)
    return best


def single_measure(tree) -> Optional[str]:
    measures = list(tree.measures)
    if len(measures) == 1:
        return measures[0]
    return "决算" if "决算" in measures else None


def amount(evaluator, node, measure: str):
    value = evaluator.measure(node, measure, None)
    return value.value if isinstance(value, Quantity) else None


def check_list(names, evaluator, locations, text, place: Location, start: int, end: int) -> Iterator[Finding]:
    chosen = tree_of(names, evaluator)
    if chosen is None:
        return
    tree, measure, rows = chosen
    where = sentence_place(text, place, start, end)
    for node in rows:
        value = amount(evaluator, node, measure)
        if not value:
            cell = locations.get(f"{node.tree}[{node.key}].{measure}")
            shown = "blank" if value is None else "0.00"
            yield Finding("RD545", "warning", f"the list names {node.label}, which the table gives as {shown}",
                          ("name only the items with an amount",), (marked(where, text, node.label, place),)
                          + ((cell,) if cell else ()), node.label, shown, (), None, None)
    named = {id(node) for node in rows}
    parents = {id(node.parent): node.parent for node in rows if node.parent is not None}
    for parent in parents.values():
        for child in parent.children:
            value = amount(evaluator, child, measure)
            if id(child) not in named and value:
                cell = locations.get(f"{child.tree}[{child.key}].{measure}")
                yield Finding("RD545", "warning", f"the list leaves out {child.label} ({value} in the table)",
                              ("a list of the main items names every item with an amount",), (where,)
                              + ((cell,) if cell else ()), None, None, (), None, None)


def marked(where: Location, text: str, label: str, place: Location) -> Location:
    """The sentence with the item's name marked, when it is written as in the table."""
    sentence = where.sentence or ""
    low = sentence.find(label)
    if low < 0:
        low = sentence.find(name_key(label))
        label = name_key(label)
    if low < 0:
        return where
    return Location(where.file, where.page, where.sheet, section=where.section, sentence=sentence,
                    span=(low, low + len(label)))
