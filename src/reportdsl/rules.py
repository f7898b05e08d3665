"""The registry of the checks' rules: each rule reads the evaluated report (its name table and
values) and the document, and yields diagnostics. checks.py and stale_text.py register theirs."""

from __future__ import annotations

from typing import Callable, Iterator

from .diagnostics import Diagnostic
from .evaluated import Evaluated
from .model import Document

Rule = Callable[[Evaluated, Document], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function
