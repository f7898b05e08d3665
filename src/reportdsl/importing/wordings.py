"""The ways disclosures word the same item: the layout's 公务用车运行费 is printed 公务用车运行维护费,
机关运行经费 机关运行费, 一般公共服务支出 一般公共服务. Only wordings that never name another standard
item are listed; a name is matched in one of these forms, and an item two names could stand for is
matched by neither (the caller checks that a form names one item)."""

from __future__ import annotations

import re
from functools import lru_cache

# (as the layout may word it, as a document may word it), tried both ways
INTERCHANGEABLE = (
    ("运行费", "运行维护费"),
    ("运行经费", "运行费"),
    ("费用", "费"),
    ("及", "和"),
    ("（境）", ""),
)


@lru_cache(maxsize=4096)  # asked for each item of a tree at each figure of the prose
def name_forms(name: str) -> frozenset[str]:
    """The name and its other wordings (at most two words changed), the name itself first in sorting."""
    forms = {name}
    for _ in range(2):
        for form in list(forms):
            for one, other in INTERCHANGEABLE:
                for a, b in ((one, other), (other, one)):
                    if a and a in form:
                        forms.add(form.replace(a, b, 1))
    forms |= {form[:-2] for form in forms if form.endswith("支出") and len(form) >= 6}  # 一般公共服务(支出)
    forms |= {form[:-1] + "支出" for form in forms if form.endswith("费") and len(form) >= 5}  # 公务用车购置费 | 支出
    return frozenset(form for form in forms if len(form) >= 2 and not re.fullmatch(r"[费和及]+", form))


def named_last(context: str, labels: dict[str, str]) -> tuple[int, str] | None:
    """(end position, key) of the item whose name, in one of its forms, the context prints last; a
    form two items share names neither."""
    owners: dict[str, set[str]] = {}
    for key, label in labels.items():
        for form in name_forms(label):
            owners.setdefault(form, set()).add(key)
    best = None  # (end, length of the form, key): the last printed, the longest of those
    for form, keys in owners.items():
        position = context.rfind(form) if len(keys) == 1 else -1
        if position >= 0 and (best is None or (position + len(form), len(form)) > best[:2]):
            best = (position + len(form), len(form), next(iter(keys)))
    return (best[0], best[2]) if best else None


def shared_forms(names) -> set[str]:
    """The wordings more than one of the names has: they name none of them."""
    seen: dict[str, int] = {}
    for name in set(names):
        for form in name_forms(name):
            seen[form] = seen.get(form, 0) + 1
    return {form for form, count in seen.items() if count > 1}


def printed_form(context: str, name: str, shared: set[str]) -> str:
    """The wording of the name the context prints last (the name itself first), or ""."""
    if not name:
        return ""
    if name in context:
        return name
    found = [(context.rfind(form), form) for form in name_forms(name) if form not in shared and form in context]
    return max(found)[1] if found else ""
