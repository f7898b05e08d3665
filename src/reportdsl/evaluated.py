"""What the stages after evaluation are given: the name table, and the values of the evaluated
report — a named figure, an item's measure, an expression's value in a scope (a loop variable, a
check's own literals). The document builder and the checks reach the evaluator only through this;
a fault met while answering them is their stage's, and goes to the sink they are given."""

from __future__ import annotations

import contextlib
from typing import Iterator, Optional

from .diagnostics import Diagnostic
from .evaluate import Evaluator
from .names import NameTable
from .source import Span
from .values import Gap, Missing, TreeNode, Value


class Evaluated:
    def __init__(self, evaluator: Evaluator, sink: list[Diagnostic]):
        self._evaluator = evaluator
        self.sink = sink
        self.names: NameTable = evaluator.names

    @property
    def interval(self) -> bool:
        """The opt-in interval rule is in force."""
        return self._evaluator.interval

    @property
    def work(self):
        """The report's budget of work (limits.Work), shared with the evaluator."""
        return self._evaluator.work

    @property
    def used(self) -> set[tuple]:
        """The figures some expression refers to."""
        return self._evaluator.used

    @contextlib.contextmanager
    def names_asked(self) -> Iterator[set]:
        """The figures referred to while inside, noted in the set it gives (and in `used` as ever)."""
        evaluator, asked = self._evaluator, set()
        used = evaluator.used
        evaluator.used = _Noting(used, asked)
        try:
            yield asked
        finally:
            evaluator.used = used

    @contextlib.contextmanager
    def items_read(self) -> Iterator[set]:
        """The items' measures and words read while inside, each as ("#measure" or "#words", tree, key,
        measure or reason/note), noted in the set it gives."""
        evaluator, read = self._evaluator, set()
        outer = evaluator.items_read
        evaluator.items_read = read
        try:
            yield read
        finally:
            evaluator.items_read = outer
            if outer is not None:
                outer.update(read)

    def note(self, asked, read) -> None:
        """What something taken from an earlier compile referred to and read, noted as if asked now."""
        evaluator = self._evaluator
        for key in asked:
            evaluator.used.add(key)
        if evaluator.items_read is not None:
            evaluator.items_read.update(read)

    @property
    def prior(self) -> Optional["Evaluated"]:
        """Last year's report, evaluated."""
        prior = self._evaluator.prior
        return Evaluated(prior, self.sink) if prior is not None else None

    def under(self, rounding: Optional[str]) -> "Evaluated":
        """The same values under another rounding rule (a check or stated block that names one); the
        twin's faults are the report's own, already given, so they are not given again."""
        twin = self._evaluator.under(rounding)
        return self if twin is self._evaluator else Evaluated(twin, [])

    def from_rows(self) -> "Evaluated":
        """The same values with each parent the sum of its rows (its faults are given already)."""
        return Evaluated(self._evaluator.rows_twin(), [])

    def report(self, diagnostic: Diagnostic) -> Missing:
        self.sink.append(diagnostic)
        return Missing(Gap.FAILED, diagnostic.message, diagnostic.span)

    def imported(self, key: tuple) -> Optional[tuple]:
        return self._evaluator.imported(key)

    def value_of(self, key: tuple) -> Value:
        return self._ask(self._evaluator.value_of, key)

    def measure(self, node: TreeNode, measure: str, span: Optional[Span] = None) -> Value:
        return self._ask(self._evaluator.measure, node, measure, span)

    def stated_measure(self, node: TreeNode, measure: str) -> Optional[Value]:
        return self._ask(self._evaluator.stated_measure, node, measure)

    def children_sum(self, nodes: tuple[TreeNode, ...], measure: str, span: Optional[Span]) -> Value:
        return self._ask(self._evaluator.children_sum, nodes, measure, span)

    def eval(self, expr, scope: dict) -> Value:
        return self._ask(self._evaluator.eval, expr, scope)

    def comprehend(self, variable, sequence, condition, scope, element=None):
        return self._ask(self._evaluator.comprehend, variable, sequence, condition, scope, element)

    def _ask(self, question, *arguments):
        # Evaluator.reporting_to's work, inline: a later stage asks thousands of questions.
        evaluator = self._evaluator
        own, evaluator.sink = evaluator.sink, self.sink
        try:
            return question(*arguments)
        finally:
            evaluator.sink = own


class _Noting:
    """The evaluator's set of figures referred to, with each one also noted in another set."""

    def __init__(self, used: set, noted: set):
        self.used, self.noted = used, noted

    def add(self, key: tuple) -> None:
        self.used.add(key)
        self.noted.add(key)
