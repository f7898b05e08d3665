"""The VS Code extension's manifest and grammar agree with the language (npm runs the grammar's own
tests and snapshots in CI: editors/vscode, `npm test`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reportdsl.editor.features import KEYWORDS

EXTENSION = Path(__file__).resolve().parents[1] / "editors" / "vscode"


def manifest() -> dict:
    return json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))


def test_the_extension_declares_the_language_for_rpt_files_with_its_grammar_and_configuration():
    contributes = manifest()["contributes"]
    (language,) = contributes["languages"]
    assert language["id"] == "reportdsl" and language["extensions"] == [".rpt"]
    assert (EXTENSION / language["configuration"]).is_file()
    (grammar,) = contributes["grammars"]
    assert grammar["language"] == "reportdsl" and (EXTENSION / grammar["path"]).is_file()


def test_the_client_starts_the_language_server_of_this_package():
    client = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    assert 'args: [...args, "lsp"]' in client and manifest()["dependencies"]["vscode-languageclient"]
    assert manifest()["contributes"]["configuration"]["properties"]["reportdsl.command"]["default"] == ["reportdsl"]


def test_every_keyword_of_the_language_is_highlighted_by_the_grammar():
    grammar = (EXTENSION / "syntaxes" / "reportdsl.tmLanguage.json").read_text(encoding="utf-8")
    alternatives = set()
    for group in re.findall(r"\\\\b\(([a-z|?:\\s+()]+)\)", grammar):
        alternatives.update(re.findall(r"[a-z]+", group))
    assert set(KEYWORDS) - alternatives == set()


def test_the_language_keywords_listed_for_completion_are_those_of_the_reference():
    reference = (Path(__file__).resolve().parents[1] / "docs" / "language.md").read_text(encoding="utf-8")
    listed = re.search(r"The keywords `([^`]+)`", reference).group(1).split()
    assert set(listed) <= set(KEYWORDS)
