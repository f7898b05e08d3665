"""Diagnostics about a foreign file (RD501-RD539): they name the file, and the page, sheet, table
or row in the message, since a PDF or Word file has no lines and columns to point at."""

from __future__ import annotations

from ..diagnostics import Diagnostic, error, warning, whole_file


class UnreadableDocument(Exception):
    """A reader or the matcher gives up on the file: nothing is written."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics[0].message if diagnostics else "cannot import")
        self.diagnostics = diagnostics


def fail(code: str, path: str, message: str, *help: str) -> UnreadableDocument:
    return UnreadableDocument([error(code, message, whole_file(path), *help)])


def note(code: str, path: str, message: str, *help: str) -> Diagnostic:
    return warning(code, message, whole_file(path), *help)


def problem(code: str, path: str, message: str, *help: str) -> Diagnostic:
    return error(code, message, whole_file(path), *help)
