"""Parsed reports kept in the user's own cache folder, so that a text parsed before costs no Lark at all."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

from . import ast
from .source import SourceFile
from .syntax_rules import grammar_text


# A larger file is mostly item lines, which item_blocks.py reads as fast as a pickle of them loads.
MAX_CACHED_CHARS = 500_000


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


@functools.lru_cache(maxsize=1)
def parser_code_digest() -> str:
    """A hash of the code that builds the syntax tree, so that a changed parser never reads old trees."""
    import hashlib

    folder = Path(__file__).parent
    names = ("parser.py", "lark_parser.py", "template_parser.py", "syntax_rules.py", "ast.py", "item_blocks.py",
             "literals.py")
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
        if folder is None or len(source.text) > MAX_CACHED_CHARS or not Path(source.path).is_file():
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
