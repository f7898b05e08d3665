"""Faults of wording any published text can have, found in the text alone: a word written twice
("增加增加"), and a sentence comparing spending with its budget (大于 / 小于) that gives no reason.
`check` runs them on a report's paragraphs, `audit` on a published document's."""

from __future__ import annotations

import functools
import re
from typing import Iterator

import attrs

# Two to four characters written twice in a row, of which doubled_words keeps the Chinese ones (a regex
# class of the CJK range costs milliseconds to compile). One character twice is often meant (常常, 人人).
DOUBLED_ANY = re.compile(r"(?s)(.{2,4})\1")
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
    for start, end in doubled_chinese(text):
        word = text[start:(start + end) // 2]
        if len(set(word)) == 1 or word in UNITS:
            continue  # one character over and over (哈哈哈哈) is not a word; a unit twice is RD403's
        yield WordingProblem("RD540", f"'{word}' is written twice: '{text[start:end]}'", start, end,
                             f"write '{word}' once")


def doubled_chinese(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of two to four CJK characters written twice, the longest first at each
    place, scanning on after each one (what `([\u4e00-\u9fff]{2,4})\1` finds)."""
    position = 0
    while (candidate := DOUBLED_ANY.search(text, position)) is not None:
        start = candidate.start()
        length = next((n for n in (4, 3, 2) if _chinese(text[start:start + n], n)
                       and text[start + n:start + 2 * n] == text[start:start + n]), 0)
        if length:
            yield start, start + 2 * length
        position = start + 2 * length if length else start + 1


def _chinese(word: str, length: int) -> bool:
    return len(word) == length and all("\u4e00" <= character <= "\u9fff" for character in word)


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
