"""A list of a printed table's rows in the text ("公用经费 10.23 万元，主要包括：办公费、邮电费、…"),
stated in the report as the two claims it makes: each item it names has spending, and the rows it
leaves out beside them have none. `check` then finds a list that names a row the table gives as
zero, or leaves out one with an amount; `audit` reports the same as RD545, once."""

from __future__ import annotations

import re
from typing import Optional

from .located import Location, TreeData

# The message of every check written for a list begins so: audit reports these as RD545 instead.
LIST_CHECK = "the list of main items printed"
BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def name_key(name: str) -> str:
    """维修（护）费 and 维修费 are one name; a list's last name may end in 等."""
    return BRACKETS.sub("", "".join(name.split())).rstrip("等")


def list_check_lines(tree: TreeData, names: list[str], where: Location) -> list[str]:
    """The checks that state a printed list of the tree's rows, with a comment quoting it."""
    measure = "决算" if "决算" in tree.measures else (tree.measures[0] if len(tree.measures) == 1 else None)
    keys = {name_key(name) for name in names}
    named = [node for node in tree.nodes.values() if node.label and name_key(node.label) in keys]
    if measure is None or len(named) < 2:
        return []
    place = f"on p. {where.page}" if where.page else "in the text"
    lines = [f"# {place}, {where.section}: {where.sentence}" if where.section else f"# {place}: {where.sentence}"]
    for node in named:
        lines.append(f'check ({tree.name}[{node.key}].{measure} ?? 0) != 0 warning '
                     f'"{LIST_CHECK} {place} names {_quoted(node.label)}; the table gives it no spending"')
    for parent in dict.fromkeys(node.parent for node in named if node.parent is not None):
        left_out = " and ".join(f'x.name != "{_quoted(node.label)}"' for node in named if node.parent == parent)
        lines.append(f"check count(x for x in {tree.name}[{parent}].children if ({_x(measure)} ?? 0) != 0 and "
                     f'{left_out}) == 0 warning "{LIST_CHECK} {place} leaves out rows of '
                     f'{_quoted(tree.nodes[parent].label)} that the table gives spending"')
    return lines


def _x(measure: str) -> str:
    return f"x.{measure}"


def _quoted(text: Optional[str]) -> str:
    return (text or "").replace("\\", "\\\\").replace('"', '\\"').replace("{", "{{").replace("}", "}}")
