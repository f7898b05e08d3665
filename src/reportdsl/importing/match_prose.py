"""Prose -> stated figures and inputs (placeholder: filled in by the next step)."""

from __future__ import annotations


class ProseMatcher:
    def __init__(self, layout, shown, tables):
        self.layout, self.shown, self.tables = layout, shown, tables
        self.diagnostics = []
        self.stated = []
        self.facts = {}
        self.sentences_matched = 0
        self.sentences_read = 0
        self.inputs_filled = 0
        self.unread = []
        self.printed = set()

    def match_all(self, paragraphs) -> None:
        pass

    def fills_tree(self, name: str) -> bool:
        return False

    def own_text_lines(self) -> list[str]:
        return []
