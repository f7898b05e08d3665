"""Which part of a report file a line belongs to, for lists grouped the way the author reads the
file: the report's own `part`/`section` around it, else the nearest banner comment above it
(`# ==== 第二部分 决算表 ====`), else the layout, for what the layout defines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from . import ast
from .source import SourceFile, Span

BANNER = re.compile(r"^#\s*=+\s*(.+?)\s*=*\s*$")


class ReportSections:
    def __init__(self, source: SourceFile, report: Optional[ast.Report]):
        self.path = source.path
        self.banners = [(n, m.group(1)) for n in range(1, source.text.count("\n") + 2)
                        for m in [BANNER.match(source.line_text(n).strip())] if m]
        self.blocks = list(_titled_blocks(report.body if report is not None else (), source.path))

    def of(self, span: Optional[Span]) -> str:
        if span is None:
            return "(elsewhere)"
        if span.path != self.path:
            return f"the layout ({Path(span.path).stem})"
        inside = [(b_span, title) for b_span, title in self.blocks if b_span.start <= span.start < b_span.end]
        if inside:
            return min(inside, key=lambda found: found[0].end - found[0].start)[1]
        above = [title for line, title in self.banners if line <= span.line]
        return above[-1] if above else "(top of the file)"


def _titled_blocks(body, path: str):
    for statement in body:
        if isinstance(statement, (ast.Part, ast.Section)) and statement.span is not None and statement.span.path == path:
            yield statement.span, template_text(statement.title)
        inner = getattr(statement, "body", None)
        if isinstance(inner, tuple):
            yield from _titled_blocks(inner, path)


def template_text(template: ast.Template, limit: int = 30) -> str:
    """A heading's words without its {figures}, shortened."""
    text = "".join(part.text if isinstance(part, ast.Literal) else "…" for part in template.parts)
    return text if len(text) <= limit else text[:limit] + "…"
