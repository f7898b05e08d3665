"""Comments that swallow code. Everything after `#` on a line is a comment, so in
`2060101 "行政运行" (194.11)  # 估算 note "…"` the note is silently part of the comment; a comment
after code that holds an item's `reason "…"` or `note "…"` is warned about."""

from __future__ import annotations

import re

from . import ast
from .diagnostics import Diagnostic, warning
from .source import SourceFile

ATTRIBUTE_IN_COMMENT = re.compile(r"(?<!\w)(reason|note)\s*[\"']")


def swallowed_attributes(report: ast.Report, source: SourceFile) -> list[Diagnostic]:
    return [found for comment in report.comments if comment.span.path == source.path
            for found in [_swallowed(comment, source)] if found is not None]


def _swallowed(comment: ast.Comment, source: SourceFile):
    match = ATTRIBUTE_IN_COMMENT.search(comment.text)
    if match is None or not source.line_text(comment.span.line)[: comment.span.column - 1].strip():  # no code before it
        return None
    keyword = match.group(1)
    start = comment.span.start + match.start()
    return warning("RD130", f"the comment takes in '{keyword} \"…\"': everything after '#' on a line is a comment",
                   source.span(start, comment.span.end),
                   f"to give the item its {keyword}, write it before the comment: (…) {keyword} \"…\"  # comment")
