"""An item's purpose (its `note`, 主要用于……) copied from another item: the same words stand under two
items, and they name one of them. The slip of a hand that copies the paragraph above and changes the
heading but not its purpose (RD547, a warning)."""

from __future__ import annotations

from typing import Callable, Iterator, Optional

from .values import TreeNode


def squeezed(text: str) -> str:
    return "".join(text.split())


def copied_purposes(trees, note_of: Callable[[TreeNode], Optional[str]]) -> Iterator[tuple[TreeNode, TreeNode, str]]:
    """(item, the item its purpose names, the purpose) for each item whose purpose is another's."""
    for tree in trees:
        by_purpose: dict[str, list[TreeNode]] = {}
        for node in tree.notable:  # the items with a reason or a note (or a `?`), in order
            note = note_of(node)
            if note and squeezed(note):
                by_purpose.setdefault(squeezed(note), []).append(node)
        for purpose, nodes in by_purpose.items():
            yield from _copies(purpose, nodes)


def _copies(purpose: str, nodes: list[TreeNode]) -> Iterator[tuple[TreeNode, TreeNode, str]]:
    named = [node for node in nodes if squeezed(node.name) in purpose]
    if len(nodes) < 2 or len({squeezed(node.name) for node in named}) != 1:
        return  # words that fit several items alike, or none by name: nothing says which is the slip
    owner = named[0]
    for node in nodes:
        if squeezed(node.name) not in purpose:
            yield node, owner, purpose
