"""Text -> AST: narrative templates, the limits, and the parse cache.

Lark itself lives in lark_parser.py, the only module that knows it; it is imported only when a
file is really parsed, so a report whose text was parsed before (the cache) costs no Lark at all.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import Optional

from . import ast
from .diagnostics import CompileError, Diagnostic, error
from .source import SourceFile, Span

GRAMMAR_NAME = "reportdsl.lark"


def grammar_text() -> str:
    """The grammar shipped in the package; in a source checkout, grammar/ at the top."""
    packaged = resources.files("reportdsl").joinpath(GRAMMAR_NAME)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammar" / GRAMMAR_NAME
    return checkout.read_text(encoding="utf-8")


def cache_folder() -> Optional[Path]:
    """The user's own cache folder for reportdsl (never a shared one: it holds pickles), or None."""
    import os

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportdsl"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        if base.stat().st_uid != os.getuid():
            return None
    except OSError:
        return None
    return base


def parse_expression(source: SourceFile, text: str, base: int) -> ast.Expr:
    from .lark_parser import parse_expression as parse_with_lark

    return parse_with_lark(source, text, base)


_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}


def unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), body, flags=re.S)


# Limits (docs/security.md): a figure of 万元 needs far fewer digits; Decimal arithmetic stays exact
# within them, and nothing can make the compiler allocate or loop without bound.
MAX_WHOLE_DIGITS = 15
MAX_DECIMALS = 8
MAX_NESTING = 64  # brackets, blocks and {if}/{for} inside one another

LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r]*")


def decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


# ---- templates -------------------------------------------------------------------------


class TemplateParser:
    """Parses the inside of a narrative string: literal text, {expr[:fmt]}, {if}/{elif}/{else}/{end}, {for}.

    Line breaks inside the string are joined with the surrounding indentation removed, since
    Chinese prose has no spaces between words; offsets map every piece back into the file.
    """

    _FOR = re.compile(r"for\s+([^\W\d]\w*)\s+in\s+(.*?)(?:\s+if\s+(.*?))?(?:\s+sep\s+('(?:[^'\\]|\\.)*'))?\s*$", re.S)

    def __init__(self, source: SourceFile, raw: str, base: int):
        self.source, self.raw, self.base = source, raw, base

    def span(self, start: int, end: int) -> Span:
        return self.source.span(self.base + start, self.base + end)

    def fail(self, message: str, start: int, end: int, *help: str) -> None:
        raise CompileError([error("RD002", message, self.span(start, end), *help)])

    def parse(self) -> ast.Template:
        parts, position, closer = self._parse_until(0, ())
        if closer is not None:
            self.fail(f"'{{{closer[0]}}}' without an open '{{if}}' or '{{for}}'", closer[1], closer[2])
        return ast.Template(tuple(parts), span=self.span(0, len(self.raw)))

    def _parse_until(self, position: int, closers: tuple[str, ...]):
        parts: list = []
        literal: list[str] = []
        literal_start = position
        while position < len(self.raw):
            ch = self.raw[position]
            if ch == "{" and self.raw.startswith("{{", position):
                literal.append("{")
                position += 2
            elif ch == "}" and self.raw.startswith("}}", position):
                literal.append("}")
                position += 2
            elif ch == "}":
                self.fail("unmatched '}' in text", position, position + 1, "write '}}' for a literal brace")
            elif ch == "{":
                self._flush(parts, literal, literal_start, position)
                inner_start = position + 1
                inner_end = self._find_close(inner_start)
                inner = self.raw[inner_start:inner_end]
                word = inner.strip().split(" ", 1)[0]
                if word in closers:
                    return parts, inner_end + 1, (word, position, inner_end + 1, inner)
                position = self._directive(parts, inner, inner_start, inner_end, closers)
                literal, literal_start = [], position
            elif ch == "\n":
                while literal and literal[-1] in " \t\r":
                    literal.pop()
                position += 1
                while position < len(self.raw) and self.raw[position] in " \t\r":
                    position += 1
            elif ch == "\\" and position + 1 < len(self.raw):
                literal.append(_ESCAPES.get(self.raw[position + 1], self.raw[position : position + 2]))
                position += 2
            else:
                literal.append(ch)
                position += 1
        self._flush(parts, literal, literal_start, position)
        return parts, position, None

    def _flush(self, parts: list, literal: list[str], start: int, end: int) -> None:
        if literal:
            parts.append(ast.Literal("".join(literal), span=self.span(start, end)))
            literal.clear()

    def _find_close(self, position: int) -> int:
        quote = None
        for index in range(position, len(self.raw)):
            ch = self.raw[index]
            if quote:
                if ch == quote:
                    quote = None
            elif ch == "'":
                quote = ch
            elif ch == "}":
                return index
            elif ch == "{":
                break
        self.fail("'{' is not closed in this text", position - 1, position, "close the expression with '}', or write '{{' for a literal brace")

    def _directive(self, parts, inner, start, end, closers) -> int:
        stripped = inner.strip()
        if stripped.startswith("if ") or stripped == "if":
            return self._if_chain(parts, inner, start, end, closers)
        if stripped.startswith("for "):
            return self._loop(parts, inner, start, end)
        if stripped in ("else", "end") or stripped.startswith("elif "):
            self.fail(f"'{{{stripped.split(' ', 1)[0]}}}' without an open '{{if}}'", start - 1, end + 1)
        expr_text, fmt = split_format(inner)
        expr = self._expr(expr_text, start)
        if fmt is not None:
            check_format(fmt.strip(), self.span(start, end))
            fmt = fmt.strip()
        parts.append(ast.Interp(expr, fmt, span=self.span(start - 1, end + 1)))
        return end + 1

    def _expr(self, text: str, start: int) -> ast.Expr:
        offset = len(text) - len(text.lstrip())
        if not text.strip():
            self.fail("empty '{}' in text", start - 1, start + 1, "put an expression inside the braces, e.g. {year}")
        simple = simple_reference(self.source, text.strip(), self.base + start + offset)
        if simple is not None:
            return simple
        return parse_expression(self.source, text.strip(), self.base + start + offset)

    def _if_chain(self, parts, inner, start, end, closers) -> int:
        branches = []
        condition_text = inner.strip()[2:]
        condition = self._expr(condition_text, start + inner.index("if") + 2)
        position = end + 1
        chain_start = start - 1
        while True:
            body, position, closer = self._parse_until(position, ("elif", "else", "end"))
            if closer is None:
                self.fail("'{if}' is not closed: '{end}' is missing", chain_start, start + len(inner) + 1)
            branches.append((condition, ast.Template(tuple(body))))
            word, c_start, c_end, c_inner = closer
            if word == "end":
                break
            if word == "else":
                condition = None
            else:
                if condition is None:
                    self.fail("'{elif}' after '{else}'", c_start, c_end)
                condition = self._expr(c_inner.strip()[4:], c_start + 1 + c_inner.index("elif") + 4)
            if word == "else" and branches[-1][0] is None:
                self.fail("a second '{else}'", c_start, c_end)
        parts.append(ast.IfChain(tuple(branches), span=self.span(chain_start, position)))
        return position

    def _loop(self, parts, inner, start, end) -> int:
        match = self._FOR.match(inner.strip())
        if not match:
            self.fail("malformed '{for}'", start - 1, end + 1, "write {for x in items.leaves sep '、'}…{end}")
        variable, sequence_text, condition_text, separator = match.groups()
        sequence = self._expr(sequence_text, start + inner.index(sequence_text))
        condition = None
        if condition_text:
            condition = self._expr(condition_text, start + inner.rindex(condition_text))
        body, position, closer = self._parse_until(end + 1, ("end",))
        if closer is None:
            self.fail("'{for}' is not closed: '{end}' is missing", start - 1, end + 1)
        sep = unescape(separator[1:-1]) if separator else ""
        parts.append(ast.Loop(variable, sequence, condition, sep, ast.Template(tuple(body)),
                              span=self.span(start - 1, position)))
        return position


SIMPLE_REFERENCE = re.compile(r"([^\W\d]\w*)(?:@([^\W\d]\w*|[0-9]+))?((?:\.[^\W\d]\w*)*)")
KEYWORDS = frozenset("""report year unit layout prior fact let within as check items reason note part section
    plain para text list for in if else table columns side row rows empty chart bar pie and or not error warning
    after before""".split()) - {"year", "unit"}


def simple_reference(source: SourceFile, text: str, base: int) -> Optional[ast.Expr]:
    """`name`, `name@period` or `name.attr.attr` — most of what templates print — built directly,
    with the spans the grammar would give, instead of a full parse (a third of a report's parse time)."""
    match = SIMPLE_REFERENCE.fullmatch(text)
    if match is None:
        return None
    name, period, attributes = match.groups()
    words = [name, *attributes.split(".")[1:]]
    if any(word in KEYWORDS for word in words) or (period is not None and period in KEYWORDS):
        return None
    end = base + len(name) + (len(period) + 1 if period is not None else 0)
    expr: ast.Expr = ast.Name(name, period, span=source.span(base, end))
    for attribute in words[1:]:
        end += 1 + len(attribute)
        expr = ast.Attr(expr, attribute, span=source.span(base, end))
    return expr


def split_format(inner: str) -> tuple[str, str | None]:
    """Split '{expr:fmt}' at the last top-level colon (colons inside quotes do not count)."""
    quote, depth, cut = None, 0, None
    for index, ch in enumerate(inner):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == ":" and depth == 0:
            cut = index
    if cut is None:
        return inner, None
    return inner[:cut], inner[cut + 1 :]


FORMAT_PATTERN = re.compile(r"%(\.\d+|g)?|\.\d+|g|cn|增减|升降|大小")


def check_format(fmt: str, span: Span) -> None:
    if not FORMAT_PATTERN.fullmatch(fmt):
        raise CompileError([error(
            "RD003", f"unknown format '{fmt}'", span,
            "formats: .2 (two decimals), %.1 (percent, one decimal), %g (percent, as few decimals as needed), "
            "g (as few decimals as needed), cn (一, 二, … for whole numbers), "
            "增减 / 升降 / 大小 (direction word from the sign)")])


# ---- whole files -------------------------------------------------------------------------------


NESTING_TOKENS = re.compile(r"\{(?:if|for)\b[^{}]*\}|\{(?:end|else|elif\b[^{}]*)\}|[({\[]|[)}\]]")


def nesting_problem(source: SourceFile, text: str, base: int = 0) -> Optional[Diagnostic]:
    """The first place where brackets, braces and template blocks nest deeper than MAX_NESTING."""
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


def parse(source: SourceFile) -> ast.Report:
    """Parse a whole report, or take it from the parse cache when this exact text was parsed before
    (a layout shared by a batch, a report checked on every save). Raises CompileError carrying the
    first syntax error; a file that does not parse is never cached."""
    cached = ParseCache.for_source(source)
    report = cached.load() if cached is not None else None
    if report is None:
        from .lark_parser import parse_text_now

        report = parse_text_now(source)
        if cached is not None:
            cached.store(report)
    return report


@functools.lru_cache(maxsize=1)
def parser_code_digest() -> str:
    """A hash of the code that builds the syntax tree, so that a changed parser never reads old trees."""
    import hashlib

    folder = Path(__file__).parent
    names = ("parser.py", "lark_parser.py", "ast.py")
    return hashlib.sha256(b"".join((folder / name).read_bytes() for name in names)).hexdigest()


class ParseCache:
    """Parsed reports kept in the user's own cache folder, like Python's .pyc files: the file name is
    a hash of the text, its path, the grammar, the parser's code and the version, so any change misses."""

    def __init__(self, path: Path):
        self.path = path

    @staticmethod
    def for_source(source: SourceFile) -> Optional["ParseCache"]:
        import hashlib

        from . import __version__

        folder = cache_folder()
        if folder is None or len(source.text) > 2_000_000 or not Path(source.path).is_file():
            return None  # only files on disk: text given directly (tests, editors) is not kept
        key = hashlib.sha256("\0".join((__version__, parser_code_digest(), grammar_text(), source.path, source.text))
                             .encode()).hexdigest()[:32]
        return ParseCache(folder / "parsed" / f"{key}.pickle")

    def load(self) -> Optional[ast.Report]:
        import pickle

        try:
            with self.path.open("rb") as stream:
                report = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return report if isinstance(report, ast.Report) else None

    def store(self, report: ast.Report) -> None:
        import os
        import pickle
        import tempfile

        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(report, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
            self.prune()
        except (OSError, pickle.PicklingError, RecursionError):
            pass  # a cache that cannot be written only costs time

    def prune(self, keep: int = 500) -> None:
        """At most `keep` parsed files: the least recently written go first."""
        entries = list(self.path.parent.glob("*.pickle"))
        if len(entries) > 2 * keep:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for stale in entries[: len(entries) - keep]:
                stale.unlink(missing_ok=True)


def parse_text(text: str, path: str = "<input>") -> ast.Report:
    return parse(SourceFile(path, text))


