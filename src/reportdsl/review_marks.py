"""`# review:` lines that `reportdsl next-year` puts above last year's prose and checks: each is
reported (RD410) until the author has confirmed or rewritten what is below it and deleted the line."""

from __future__ import annotations

from . import ast
from .diagnostics import Diagnostic, error
from .source import SourceFile

MARK = "review:"


def review_marks(report: ast.Report, source: SourceFile) -> list[Diagnostic]:
    return [_diagnostic(comment, source) for comment in report.comments
            if comment.span.path == source.path and _is_mark(comment, source)]


def _is_mark(comment: ast.Comment, source: SourceFile) -> bool:
    if not comment.text.lstrip("#").strip().startswith(MARK):
        return False
    return not source.line_text(comment.span.line)[: comment.span.column - 1].strip()  # on a line of its own


def _diagnostic(comment: ast.Comment, source: SourceFile) -> Diagnostic:
    why = comment.text.lstrip("#").strip()[len(MARK):].strip()
    below = next((source.line_text(n).strip() for n in range(comment.span.line + 1, comment.span.line + 20)
                  if source.line_text(n).strip() and not source.line_text(n).strip().startswith("#")), "")
    return error("RD410", f"kept from last year, not reviewed yet: {why}", comment.span,
                 f"the line below: {below[:60]}{'…' if len(below) > 60 else ''}",
                 "rewrite or confirm it for this year, then delete this `# review:` line")
