"""`reportdsl fmt`: format files in place (atomically), check them, or filter standard input."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Callable

from .compiler import read_source
from .diagnostics import CompileError, render_text
from .source_printer import format_report
from .atomic_write import write_all_atomic
from .parser import parse
from .source import SourceFile


class NotLossless(Exception):
    """The formatter would change the meaning of a file: a bug, so the file is left alone."""


def formatted(source: SourceFile) -> str:
    """The canonical text; refuses (rather than writes) if re-parsing it would not give the same report."""
    report = parse(source)
    text = format_report(report, source)
    if parse(SourceFile(source.path, text)) != report:
        raise NotLossless(f"{source.path}: formatting would change the report's meaning; left unchanged "
                          "(a bug in reportdsl fmt, please report it)")
    return text


def format_files(paths: tuple[str, ...], check_only: bool, echo: Callable) -> int:
    status = 0
    for path in paths:
        status = max(status, _format_one(path, check_only, echo))
    return status


def _format_one(path: str, check_only: bool, echo: Callable) -> int:
    try:
        source = SourceFile("<stdin>", sys.stdin.read()) if path == "-" else read_source(path)
        text = formatted(source)
    except CompileError as exc:
        for diagnostic in exc.diagnostics:
            echo(render_text(diagnostic, {}) if diagnostic.span is None else _render(diagnostic, path), err=True)
        echo(f"{path}: not formatted: it does not parse", err=True)
        return 1
    except NotLossless as exc:
        echo(str(exc), err=True)
        return 1
    if path == "-":
        echo(text, nl=False)
        return 0
    if text == source.text:
        return 0
    if check_only:
        diff = difflib.unified_diff(source.text.splitlines(keepends=True), text.splitlines(keepends=True),
                                    f"{path}", f"{path} (formatted)")
        echo("".join(diff), nl=False)
        return 1
    write_all_atomic({Path(path): text.encode("utf-8")})
    echo(f"reformatted {path}", err=True)
    return 0


def _render(diagnostic, path: str) -> str:
    try:
        return render_text(diagnostic, {path: read_source(path)})
    except CompileError:
        return render_text(diagnostic, {})
