"""Text -> AST. Lark lives in lark_parser.py, the only module that knows it; it is imported only when a
file is really parsed, so a report whose text was parsed before (the cache) costs no Lark at all."""

from __future__ import annotations

from . import ast
from .parse_cache import ParseCache
from .source import SourceFile


def parse_expression(source: SourceFile, text: str, base: int) -> ast.Expr:
    from .lark_parser import parse_expression as parse_with_lark

    return parse_with_lark(source, text, base)


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


def parse_text(text: str, path: str = "<input>") -> ast.Report:
    return parse(SourceFile(path, text))
