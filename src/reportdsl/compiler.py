"""The pipeline: read -> parse -> evaluate -> build the document -> check. No I/O beyond reading."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import attrs

from . import ast
from .checks import run_checks
from .diagnostics import CompileError, Diagnostic, error, sort_unique
from .document import build_document
from .evaluate import Evaluator
from .model import Document
from .parser import parse
from .source import SourceFile


@attrs.frozen
class Result:
    source: SourceFile
    diagnostics: tuple[Diagnostic, ...]
    report: Optional[ast.Report] = None
    evaluator: Optional[Evaluator] = attrs.field(default=None, eq=False)
    document: Optional[Document] = None

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    @property
    def sources(self) -> dict[str, SourceFile]:
        return {self.source.path: self.source}


def read_source(path: str) -> SourceFile:
    """Read a report as UTF-8 (a BOM is allowed); raise CompileError with RD004 otherwise."""
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise CompileError([error("RD004", f"'{path}' is a directory, not a report", None)]) from None
    except OSError as exc:
        raise CompileError([error("RD004", f"cannot read '{path}': {exc.strerror or exc}", None)]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ("the file looks like GBK; convert it: iconv -f GBK -t UTF-8 in.rpt > out.rpt"
                if _looks_like_gbk(data) else "save the file as UTF-8")
        raise CompileError([error("RD004", f"'{path}' is not UTF-8 text (byte {exc.start})", None, hint)]) from None
    return SourceFile(path, text.replace("\r\n", "\n"))


def _looks_like_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def compile_source(source: SourceFile) -> Result:
    try:
        report = parse(source)
    except CompileError as exc:
        return Result(source, tuple(sort_unique(exc.diagnostics)))
    evaluator = Evaluator(report)
    document = build_document(report, evaluator)
    found = run_checks(evaluator, document)
    diagnostics = sort_unique([*evaluator.diagnostics, *found])
    return Result(source, tuple(diagnostics), report, evaluator, document)


def compile_text(text: str, path: str = "<input>") -> Result:
    return compile_source(SourceFile(path, text))


def compile_file(path: str) -> Result:
    try:
        source = read_source(path)
    except CompileError as exc:
        return Result(SourceFile(path, ""), tuple(exc.diagnostics))
    return compile_source(source)
