"""The lexical rules of the language that the grammar's transformer (lark_parser.py) and the narrative
template parser (template_parser.py) share: the grammar file, limits, escapes, keywords and formats."""

from __future__ import annotations

import functools
import itertools
import re
from importlib import resources
from pathlib import Path
from typing import Optional

from .diagnostics import CompileError, Diagnostic, error
from .source import SourceFile, Span, first_forbidden

GRAMMAR_NAME = "reportdsl.lark"


def grammar_text() -> str:
    """The grammar shipped in the package; in a source checkout, grammar/ at the top."""
    packaged = resources.files("reportdsl").joinpath(GRAMMAR_NAME)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r]*")

ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}


def unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), body, flags=re.S)


def quoted_text(token: str) -> str:
    """A quoted text that is not a template (a title, a label): line breaks are joined as in narrative text."""
    body = token[1:-1]
    if "\n" not in body and "\\" not in body:  # most: nothing to join or unescape
        return body
    return unescape(LINE_BREAK.sub("", body))


# Limits (docs/security.md): a figure of 万元 needs far fewer digits; Decimal arithmetic stays exact
# within them, and nothing can make the compiler allocate or loop without bound.
MAX_WHOLE_DIGITS = 15
MAX_DECIMALS = 8
MAX_NESTING = 64  # brackets, blocks and {if}/{for} inside one another
MAX_EXPRESSION_DEPTH = 100  # operators applied one to the result of the next: a + a + … counts each +
MAX_FORMAT_DECIMALS = MAX_DECIMALS  # {x:.8} at most: a figure below 10^18 then prints within 28 digits
FIRST_YEAR, LAST_YEAR = 1900, 2100

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")



def forbidden_character(source: SourceFile, text: str, base: int = 0) -> Optional[Diagnostic]:
    """The first control, bidirectional-override or non-character in a text, as RD010."""
    match = first_forbidden(text)
    if match is None:
        return None
    ch = match.group()
    position = base + match.start()
    code = f"U+{ord(ch):04X}"
    if ch in BIDI_CONTROLS:
        what, why = (f"a bidirectional control character ({code})",
                     "it changes the order in which text is shown, so a reader may see other figures than were checked")
    else:
        what, why = f"a control character ({code})", "it is invisible and cannot be written into a Word file"
    return error("RD010", f"{what} may not stand in a report", source.span(position, position + 1),
                 f"{why}; delete it (it often comes with text copied from a web page or a PDF)")


def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def check_format(fmt: str, span: Span) -> None:
    digits = re.search(r"\d+$", fmt)
    if digits and format_pattern().fullmatch(fmt) and int(digits.group()) > MAX_FORMAT_DECIMALS:
        raise CompileError([error("RD003", f"the format '{fmt}' asks for {int(digits.group())} decimals", span,
                                  f"a format shows at most {MAX_FORMAT_DECIMALS} decimals")])
    if not format_pattern().fullmatch(fmt):
        raise CompileError([error(
            "RD003", f"unknown format '{fmt}'", span,
            "formats: .2 (two decimals), %.1 (percent, one decimal), %g (percent, as few decimals as needed), "
            "g (as few decimals as needed), cn (一, 二, … for whole numbers), "
            "增减 / 升降 / 大小 (direction word from the sign)")])


_DIRECTIVES = r"\{(?:if|for)\b[^{}]*\}|\{(?:end|else|elif\b[^{}]*)\}"
NESTING_TOKENS = re.compile(_DIRECTIVES + r"|[({\[]|[)}\]]")
_DIRECTIVE = re.compile(_DIRECTIVES)
_BRACKET = re.compile(r"[({\[)}\]]")
_BRACKET_DEPTH = {"(": 1, "{": 1, "[": 1, ")": -1, "}": -1, "]": -1}


def nesting_problem(source: SourceFile, text: str, base: int = 0) -> Optional[Diagnostic]:
    """The first place where brackets, braces and template blocks nest deeper than MAX_NESTING."""
    if deepest_nesting(text) <= MAX_NESTING:  # as almost every text: said without a Python loop over its brackets
        return None
    depth = 0
    for match in NESTING_TOKENS.finditer(text):
        token = match.group()
        if token.startswith("{") and len(token) > 1:  # a template directive: {if …}/{for …} open, {end} closes
            depth += 1 if token[1:3] in ("if", "fo") else -1 if token == "{end}" else 0
        else:
            depth += 1 if token in "({[" else -1
        if depth > MAX_NESTING:
            position = base + match.start()
            return error("RD007", f"nesting deeper than {MAX_NESTING} levels", source.span(position, position + 1),
                         "split the expression or the block into named figures or sections")
    return None


def deepest_nesting(text: str) -> int:
    """The greatest depth nesting_problem's count reaches in `text`: each template directive turned into
    the bracket it counts as ({if}/{for} open, {end} closes, {else}/{elif} neither), then a running
    sum over the brackets, all in C (a report of 50,000 items has 200,000 brackets)."""
    brackets = _DIRECTIVE.sub(_as_bracket, text)
    return max(itertools.accumulate(map(_BRACKET_DEPTH.__getitem__, _BRACKET.findall(brackets)), initial=0))


def _as_bracket(directive: re.Match) -> str:
    token = directive.group()
    return "(" if token[1:3] in ("if", "fo") else ")" if token == "{end}" else ""


@functools.lru_cache(maxsize=1)
def keywords() -> frozenset[str]:
    """The words the grammar spells out ("report", "for", SEVERITY's "error", …), which are not names
    inside an expression; `year` and `unit` are keywords of the header only, and names elsewhere
    (the built-in figures {year} and {unit})."""
    return frozenset(re.findall(r'"([a-z]+)"', grammar_text())) - {"year", "unit"}


@functools.lru_cache(maxsize=1)
def format_pattern() -> re.Pattern:
    """The formats of `{x:fmt}` and `as fmt`: the grammar's FMT terminal."""
    return re.compile(terminal_pattern("FMT"))


@functools.lru_cache(maxsize=None)
def terminal_pattern(name: str) -> str:
    """A terminal's regular expression as the grammar writes it (`NAME: /…/`, `NUMBER.2: /…/`)."""
    return re.search(rf"^{name}(?:\.\d+)?: /(.*)/$", grammar_text(), re.M).group(1)


# Binding strength of the operators, weakest first; `not a == b` is `not (a == b)`, as in Python.
# The parser groups by it (lark_parser.Climber) and the printer puts back the parentheses it needs.
OPERATOR_PRECEDENCE = {"??": 1, "or": 2, "and": 3, "not": 4, "==": 5, "!=": 5, "<": 5, "<=": 5, ">": 5, ">=": 5,
                       "+": 6, "-": 6, "*": 7, "/": 7}
COMPARISON = OPERATOR_PRECEDENCE["=="]
NEGATION_PRECEDENCE = 8  # -x
POSTFIX_PRECEDENCE = 9  # x.name, x[key]
ATOM_PRECEDENCE = 10  # names, literals, calls
