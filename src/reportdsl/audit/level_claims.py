"""A sentence that says 持平 (no change, or equal to the budget) where the document's own figures differ
(RD548). The layout's sentences print 持平 in the branch of a condition that its earlier branches
rule out (`{if 变动 != 0}…增加…{else}…持平{end}`): a document printing that branch's words, while its
figures make an earlier condition hold, says 持平 against its figures."""

from __future__ import annotations

from typing import Iterator

import attrs

from .. import ast
from ..expr_printer import render_expr
from ..values import Quantity
from .document_checks import finding
from .locate import Finding
from .paragraphs import paragraph_places, sentence_place

LEVEL = "持平"


@attrs.frozen
class LevelClaim:
    frame: str  # the sentence's first fixed words: 因公出国（境）费全年预算为
    words: str  # the branch's fixed words, spaces and end punctuation taken out: 与全年预算持平
    ruled_out_by: tuple  # the conditions of the branches before it


def squeezed(text: str) -> str:
    return "".join(text.split()).translate(str.maketrans("()", "（）")).strip("。，；、")


def level_claims(layout: ast.Report) -> list[LevelClaim]:
    """The 持平 branches of the layout's paragraphs (not those in a loop: their figures are an item's)."""
    claims = []
    for statement in ast.statements(layout.body):
        if isinstance(statement, ast.Para):
            first = next((p.text for p in statement.template.parts if isinstance(p, ast.Literal)), "")
            claims += list(template_claims(statement.template, squeezed(first)))
    return claims


def template_claims(template: ast.Template, frame: str) -> Iterator[LevelClaim]:
    for part in template.parts:
        if not isinstance(part, ast.IfChain):
            continue
        for index, (_, branch) in enumerate(part.branches):
            words = "".join(p.text for p in branch.parts if isinstance(p, ast.Literal))
            if LEVEL in words and all(isinstance(p, ast.Literal) for p in branch.parts):
                yield LevelClaim(frame, squeezed(words), tuple(c for c, _ in part.branches[:index] if c is not None))
            yield from template_claims(branch, frame)


def unambiguous(claims: list[LevelClaim]) -> list[LevelClaim]:
    """Words and frame that one branch alone prints."""
    counted = [(claim.frame, claim.words) for claim in claims]
    return [claim for claim in claims if counted.count((claim.frame, claim.words)) == 1]


def level_findings(disclosure, layout: ast.Report, evaluator) -> Iterator[Finding]:
    claims = unambiguous(level_claims(layout))
    for text, place in paragraph_places(disclosure):
        flat = squeezed(text)
        printed = [claim for claim in claims if claim.words in flat and claim.frame in flat]
        for claim in printed:
            if any(claim.words in other.words and len(claim.words) < len(other.words) for other in printed):
                continue  # 收、支总计持平 inside 财政拨款收、支总计持平: the longer is the one printed
            yield from contradicted(claim, text, place, evaluator)


def contradicted(claim: LevelClaim, text: str, place, evaluator) -> Iterator[Finding]:
    from ..evaluated import Evaluated

    asked = Evaluated(evaluator, [])  # a figure not read makes no finding here, and no fault of the audit's
    for condition in claim.ruled_out_by:
        holds, shown = asked.eval(condition, {}), figure_of(condition, asked)
        if holds is not True:
            continue
        start = text.find(LEVEL)
        yield finding("RD548", "error", f"the document says {claim.words}, but {render_expr(condition)}{shown}",
                      sentence_place(text, place, start, start + len(LEVEL)),
                      "write the change (增加 / 减少 and the amount) that the figures give",
                      LEVEL, shown.strip(": ") or render_expr(condition))
        return


def figure_of(condition, evaluator) -> str:
    """': 收支变动 = -70.48 万元' for a comparison whose left side is a figure."""
    if isinstance(condition, ast.Compare):
        value = evaluator.eval(condition.left, {})
        if isinstance(value, Quantity):
            return f": {render_expr(condition.left)} = {value.value} {value.unit or ''}".rstrip()
    return ""
