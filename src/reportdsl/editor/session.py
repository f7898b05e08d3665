"""The compile an editor runs each time the typing pauses: of the edited text, only the top-level
statements that changed are parsed again (statement_parses.py); the layout (parsed) and the
prior-year report (compiled) are kept until their files change."""

from __future__ import annotations

import attrs

from ..compiler import Result, compile_source, normalize_newlines
from ..source import SourceFile
from .file_cache import FileCache
from .statement_parses import StatementParses


class EditSession:
    """One per editor process (the language server, the preview, benchmarks/run.py)."""

    def __init__(self):
        self.files = FileCache()
        self.parses: dict[str, StatementParses] = {}  # the edited text is not put in the parse cache at each pause

    def check(self, path: str, text: str) -> Result:
        """The report at `path` as its unsaved `text` says, compiled with what is kept."""
        source = SourceFile(path, normalize_newlines(text.removeprefix("\ufeff")))
        parses = self.parses.setdefault(path, StatementParses())
        return compile_source(source, attrs.evolve(self.files.links(path), parse_report=parses.parse))

    def close(self, path: str) -> None:
        self.parses.pop(path, None)
