"""The compile an editor runs each time the typing pauses: of the edited text, only the top-level
statements that changed are parsed again (statement_parses.py), an items tree is made again only
from a statement parsed again, and only the statements of the layout (and the rows and loop members
in them) whose inputs changed are built into the document again (kept_blocks.py), and only the
declared checks whose inputs changed are decided again (kept_checks.py); the layout is merged
again only when more than top-level facts, items and checks changed (layouts.KeptMerge). The layout
(parsed) and the prior-year report (compiled) are kept until their files change."""

from __future__ import annotations

import attrs

from ..compiler import Result, compile_source, normalize_newlines
from ..layouts import KeptMerge
from ..source import SourceFile
from .file_cache import FileCache
from .kept_blocks import KeptBlocks, Places
from .kept_checks import KeptChecks
from .statement_parses import StatementParses


class EditSession:
    """One per editor process (the language server, the preview, benchmarks/run.py)."""

    def __init__(self):
        self.files = FileCache()
        self.parses: dict[str, StatementParses] = {}  # the edited text is not put in the parse cache at each pause
        self.blocks: dict[str, KeptBlocks] = {}
        self.trees: dict[str, dict] = {}  # the items trees of the last compile (NameTable.reusable)
        self.checks: dict[str, KeptChecks] = {}
        self.merges: dict[str, KeptMerge] = {}

    def check(self, path: str, text: str) -> Result:
        """The report at `path` as its unsaved `text` says, compiled with what is kept."""
        source = SourceFile(path, normalize_newlines(text.removeprefix("\ufeff")))
        parses = self.parses.setdefault(path, StatementParses())
        blocks = self.blocks.setdefault(path, KeptBlocks(path))
        checks = self.checks.setdefault(path, KeptChecks(path))
        places = Places(source)
        blocks.answers = None
        checks.start()

        def build(report, evaluated):
            return blocks.build(report, evaluated, places)

        def judge(evaluated, check):
            return checks.judge(evaluated, check, blocks.answers, places)

        result = compile_source(source, attrs.evolve(self.files.links(path), parse_report=parses.parse,
                                                      build_document=build, judge_check=judge,
                                                      kept_trees=self.trees.get(path),
                                                      apply_layout=self.merges.setdefault(path, KeptMerge()).apply))
        checks.finish()
        self.trees[path] = result.names.reusable if result.names is not None else {}
        return result

    def close(self, path: str) -> None:
        self.parses.pop(path, None)
        self.blocks.pop(path, None)
        self.trees.pop(path, None)
        self.checks.pop(path, None)
        self.merges.pop(path, None)
