"""The compile an editor runs each time the typing pauses: only the edited text is parsed again;
the layout (parsed) and the prior-year report (compiled) are kept until their files change."""

from __future__ import annotations

import attrs

from ..compiler import Result, compile_source, normalize_newlines
from ..source import SourceFile
from .file_cache import FileCache


class EditSession:
    """One per editor process (the language server, the preview, benchmarks/run.py)."""

    def __init__(self):
        self.files = FileCache()

    def check(self, path: str, text: str) -> Result:
        """The report at `path` as its unsaved `text` says, compiled with what is kept."""
        from ..lark_parser import parse_text_now  # the edited text: not put in the parse cache at each pause

        source = SourceFile(path, normalize_newlines(text.removeprefix("\ufeff")))
        return compile_source(source, attrs.evolve(self.files.links(path), parse_report=parse_text_now))
