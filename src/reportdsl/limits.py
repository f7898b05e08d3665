"""What one report may cost: the limits of docs/security.md that bound time and memory by the size
of the output, not by what a small file can ask for (a text doubled twenty times, loops inside
loops). Each is generous for a real report; going over one stops the compile with RD008 (or RD007
for depth) at the place that went over."""

from __future__ import annotations

from typing import Optional

from .diagnostics import Diagnostic, error
from .source import Span

MAX_TEXT_CHARS = 1_000_000  # one evaluated text: a paragraph, a cell, a title
MAX_TOTAL_TEXT_CHARS = 20_000_000  # every text of the document together
MAX_BLOCKS = 200_000  # headings, paragraphs, tables and charts
MAX_TABLE_ROWS = 200_000  # rows of all tables together
MAX_FIGURE_USES = 1_000_000  # figures printed in texts, cells and charts
MAX_WORK = 1_000_000  # loop members visited and template pieces filled in, over the whole report
MAX_DEPENDENCY_DEPTH = 100  # figures and texts defined through one another, one inside the next
MAX_MAGNITUDE = 10 ** 18  # a derived figure's size: its every format then fits Decimal's 28 digits


class LimitExceeded(Exception):
    """Raised where a limit is crossed; the compile stops and reports the diagnostic it carries."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def over(code: str, message: str, span: Optional[Span], help: str) -> LimitExceeded:
    return LimitExceeded(error(code, message, span, help))


class Work:
    """A counter of steps shared by the evaluator and the document builder."""

    def __init__(self) -> None:
        self.spent = 0

    def spend(self, steps: int, span: Optional[Span]) -> None:
        self.spent += steps
        if self.spent > MAX_WORK:
            raise over("RD008", f"the report needs more than {MAX_WORK:,} steps of work to evaluate", span,
                       "loops inside loops (or texts that repeat other texts) multiply; "
                       "compute the figure once with `let`, or loop over fewer items")
