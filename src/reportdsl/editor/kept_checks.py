"""The declared checks of an edited report, decided again only where what they read changed.

Each check is kept with its verdict (a diagnostic, or none), the figures it referred to and the
answer to all it read while decided (the figures, the items' measures, the header: Answers of
kept_blocks.py, the same compile's). The next compile takes the verdict when the check is the same
and every answer is the one it had; its positions are moved to where their lines stand now. A
check that gave a fault of its own, or that names its own rounding (decided by another evaluator),
is decided each time.
"""

from __future__ import annotations

from typing import Optional

import attrs

from .. import ast
from ..checks import evaluate_check
from ..diagnostics import Diagnostic
from ..evaluated import Evaluated
from .kept_blocks import Answers, Places, Unplaced


@attrs.frozen
class Verdict:
    check: ast.Check
    diagnostic: Optional[Diagnostic]
    asked: frozenset  # the figures it referred to
    answers: tuple  # (question, answer) for all it read
    places: Places  # of the text its positions are told in


class KeptChecks:
    """One per edited file: the verdicts of the last compile, by where each check stands (told by
    its lines, so that a check moved by typing elsewhere is still found)."""

    def __init__(self, path: str):
        self.path = path
        self.kept: dict[object, Verdict] = {}
        self.made: dict[object, Verdict] = {}
        self.judged = False

    def start(self) -> None:
        self.made, self.judged = {}, False

    def finish(self) -> None:
        """After a compile: what it decided is kept (not when it stopped before the checks)."""
        if self.judged:
            self.kept = self.made

    def judge(self, ev: Evaluated, check: ast.Check, answers: Optional[Answers], places: Places) -> Optional[Diagnostic]:
        self.judged = True
        if answers is None or check.rounding is not None or check.span is None:
            return evaluate_check(ev, check)
        place = (places.relative(check.span), check)
        kept = self.kept.get(place)
        if kept is not None and answers.as_then(kept.answers):
            try:
                diagnostic = moved(kept.diagnostic, kept.places, places, self.path)
            except Unplaced:
                diagnostic = None
            else:
                ev.note(kept.asked, ())
                self.made[place] = Verdict(check, diagnostic, kept.asked, kept.answers, places)
                return diagnostic
        return self._decided(ev, check, place, answers, places)

    def _decided(self, ev: Evaluated, check: ast.Check, place, answers: Answers, places: Places) -> Optional[Diagnostic]:
        faults = len(ev.sink)
        with ev.names_asked() as asked, ev.items_read() as read:
            diagnostic = evaluate_check(ev, check)
        if len(ev.sink) == faults:
            questions = {*read, *(("tree", question[1]) for question in read), *(("name", *key) for key in asked),
                         ("header",)}
            self.made[place] = Verdict(check, diagnostic, frozenset(asked), answers.answered(questions), places)
        return diagnostic


def moved(diagnostic: Optional[Diagnostic], then: Places, now: Places, path: str) -> Optional[Diagnostic]:
    """The diagnostic with its positions in the edited file told in `then` moved to where they stand now."""
    if diagnostic is None:
        return None

    def place(span):
        if span is None or span.path != path:
            return span
        found = now.absolute(then.relative(span))
        if found is None:
            raise Unplaced
        return found

    related = tuple((place(span), note) for span, note in diagnostic.related)
    return attrs.evolve(diagnostic, span=place(diagnostic.span), related=related)
