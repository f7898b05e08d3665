"""Faults of wording any published text can have, found in the text alone: a word written twice
("增加增加"), and a sentence comparing spending with its budget (大于 / 小于) that gives no reason.
`check` runs them on a report's paragraphs, `audit` on a published document's."""

from __future__ import annotations

import functools
import re
from typing import Iterator

import attrs

# Two to four Chinese characters written twice in a row. One character twice is often meant (常常, 人人).
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
BUDGET_COMPARISON = re.compile(r"(大于|小于|高于|低于|超过|超出)[^，。；]{0,12}预算|预算[^，。；]{0,12}(大于|小于|高于|低于)")
UNITS = {"万元", "亿元"}
REASON = re.compile(r"原因|由于|因为|主要是|系")


@attrs.frozen
class WordingProblem:
    code: str
    message: str
    start: int  # the words at fault, as a slice of the text
    end: int
    help: str


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, its 。！？ included."""
    start = 0
    for found in re.finditer(r"[。！？]", text):
        yield start, found.end()
        start = found.end()
    if text[start:].strip():
        yield start, len(text)


def doubled_words(text: str) -> Iterator[WordingProblem]:
    for found in DOUBLED.finditer(text):
        word = found.group(1)
        if len(set(word)) == 1 or word in UNITS:
            continue  # one character over and over (哈哈哈哈) is not a word; a unit twice is RD403's
        yield WordingProblem("RD540", f"'{word}' is written twice: '{found.group(0)}'", found.start(), found.end(),
                             f"write '{word}' once")


def comparisons_without_reason(text: str) -> Iterator[WordingProblem]:
    """A budget comparison whose sentence, and the sentence after it, give no reason."""
    spans = list(sentences(text))
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        found = BUDGET_COMPARISON.search(sentence)
        if not found:
            continue
        following = text[start:spans[index + 1][1]] if index + 1 < len(spans) else sentence
        if not REASON.search(re.sub(r"\s+", "", following)):
            yield WordingProblem("RD541", f"'{found.group(0)}' with no reason given (主要原因)", start + found.start(),
                                 start + found.end(), "say why spending differs from the budget: …，主要原因是…")


KEPT_TEXT = 2000  # texts up to this long keep their answer: an editor checks the same ones at every pause


def wording_problems(text: str) -> tuple[WordingProblem, ...]:
    return _kept_problems(text) if len(text) <= KEPT_TEXT else _problems(text)


def _problems(text: str) -> tuple[WordingProblem, ...]:
    return (*doubled_words(text), *comparisons_without_reason(text))


_kept_problems = functools.lru_cache(maxsize=4096)(_problems)
