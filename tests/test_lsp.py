"""`reportdsl lsp`: a real client (pytest-lsp) speaks JSON-RPC over stdio to the server process."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

import reportdsl

from helpers import assert_quick

ROOT = Path(__file__).resolve().parents[1]
# One server for the module (starting one costs a second or more); each test opens its own copy of the sample.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture
def workspace(tmp_path):
    for name in ("hongshan_2023.rpt", "hongshan_2022.rpt"):
        shutil.copy(ROOT / "reports" / name, tmp_path / name)
    return tmp_path


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "reportdsl", "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    lsp_client.diagnostic_versions = {}
    keep = lsp_client.protocol.fm.features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish_diagnostics(params: lsp.PublishDiagnosticsParams):  # also note which version was checked
        lsp_client.diagnostic_versions[params.uri] = params.version
        keep(params)

    lsp_client.protocol.fm.features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish_diagnostics
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=tmp_path_factory.getbasetemp().as_uri()))
    yield
    await lsp_client.shutdown_session()


async def open_sample(client: LanguageClient, workspace: Path) -> tuple[str, str]:
    path = workspace / "hongshan_2023.rpt"
    uri, text = path.as_uri(), path.read_text(encoding="utf-8")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "reportdsl", 1, text)))
    await diagnostics_for(client, uri, version=1)
    return uri, text


async def diagnostics_for(client: LanguageClient, uri: str, version: int, timeout: float = 20) -> list[lsp.Diagnostic]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        published = client.diagnostics.get(uri)
        if published is not None and client.diagnostic_versions.get(uri) == version:
            return published
        await asyncio.sleep(0.005)
    raise AssertionError(f"no diagnostics for version {version}")


def position_of(text: str, needle: str, line_containing: str, within: int = 1) -> lsp.Position:
    """The position `within` characters into `needle` on the first line containing `line_containing`."""
    for number, line in enumerate(text.split("\n")):
        if line_containing in line:
            return lsp.Position(number, line.index(needle) + within)
    raise AssertionError(f"no line contains {line_containing!r}")


def replace(text: str, old: str, new: str, version: int, uri: str) -> lsp.DidChangeTextDocumentParams:
    start = position_of(text, old, old, within=0)
    end = lsp.Position(start.line, start.character + len(old))
    change = lsp.TextDocumentContentChangePartial(lsp.Range(start, end), new)
    return lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(version, uri), [change])


async def test_opening_the_sample_publishes_the_diagnostics_of_check_with_code_and_severity(client: LanguageClient, workspace):
    uri, _ = await open_sample(client, workspace)
    published = client.diagnostics[uri]
    assert [(d.code, d.severity) for d in published] == [("RD302", lsp.DiagnosticSeverity.Warning)]
    assert published[0].range.start.line == 229 and published[0].source == "reportdsl"
    assert "134.63" in published[0].message  # the help line travels in the message


async def test_an_edited_figure_is_underlined_within_half_a_second_with_the_prior_report_as_related_place(
        client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    delays, current = [], text
    for version, figure in enumerate(("447.30", "447.40", "447.50", "447.60", "447.70"), start=2):
        typed = time.monotonic()
        old = current[current.index("fact 收支总计@上年 = "):][:len("fact 收支总计@上年 = 447.20")]
        client.text_document_did_change(replace(current, old, f"fact 收支总计@上年 = {figure}", version, uri))
        published = await diagnostics_for(client, uri, version=version)
        delays.append(time.monotonic() - typed)
        current = current.replace(old, f"fact 收支总计@上年 = {figure}", 1)
        errors = [d for d in published if d.severity == lsp.DiagnosticSeverity.Error]
        assert [d.code for d in errors] == ["RD307"]
        assert errors[0].range.start.line == position_of(text, "收支总计@上年", "fact 收支总计@上年 = 447.20").line
        related = errors[0].related_information
        assert related and related[0].location.uri.endswith("hongshan_2022.rpt")
    print("\nerror underlined after the keystroke (ms): " + ", ".join(f"{d * 1000:.0f}" for d in delays))
    assert_quick(min(delays), 0.5, "the best of five edits")  # the machine may be busy with other work


async def test_typing_quickly_compiles_once_after_the_pause(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    client.diagnostic_versions.clear()
    for version, figure in enumerate(("447.3", "447.31", "447.312"), start=2):
        client.text_document_did_change(replace(text if version == 2 else current, "447.20" if version == 2 else previous,
                                                figure, version, uri))
        current = text.replace("447.20", figure, 1) if version == 2 else current.replace(previous, figure, 1)
        previous = figure
    await diagnostics_for(client, uri, version=4)
    await asyncio.sleep(0.3)
    assert client.diagnostic_versions[uri] == 4  # versions 2 and 3 were never compiled on their own


async def test_a_problem_in_the_layout_is_shown_on_the_layout_clause_with_a_link_into_the_layout(
        client: LanguageClient, workspace):
    path = workspace / "hongshan_2023.rpt"
    text = path.read_text(encoding="utf-8").replace("fact 下属单位数 = 0 个\n", "")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(path.as_uri(), "reportdsl", 1, text)))
    published = await diagnostics_for(client, path.as_uri(), version=1)
    [missing] = [d for d in published if "'下属单位数' is not filled in" in d.message]
    assert missing.range.start.line == position_of(text, "hubei", "layout hubei").line
    assert any(r.location.uri.endswith("layouts/hubei.rpt") for r in missing.related_information)


async def test_hover_on_a_name_shows_its_value_formula_and_inputs(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    hover = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri), position_of(text, "收支总计@上年", "let 上年收支总计")))
    assert hover.contents.value.startswith("**收支总计@上年 = 447.20 万元**")
    assert "hongshan_2023.rpt:150: fact 收支总计@上年 = 447.20" in hover.contents.value


async def test_hover_on_a_template_part_shows_what_it_prints_and_how(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    hover = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri), position_of(text, "{综合得分}", "年整体支出绩效自评报告绩效评价综合得分", within=0)))
    assert "{综合得分} prints 99.99" in hover.contents.value
    assert "执行情况得分 = 19.99 分" in hover.contents.value


async def test_hover_on_an_item_key_and_a_measure(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    item = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri), position_of(text, "2060101", '2060101 "行政运行"')))
    assert "gpb[2060101] 行政运行" in item.contents.value and "决算 = 194.11 万元" in item.contents.value
    measure = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(uri), position_of(text, "年初预算", "check gpb.年初预算")))
    assert "gpb.年初预算 = 296.51 万元" in measure.contents.value


async def test_go_to_definition_jumps_into_the_layout_and_into_last_years_report(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    into_layout = await client.text_document_definition_async(lsp.DefinitionParams(
        lsp.TextDocumentIdentifier(uri), position_of(text, "{综合得分}", "年整体支出绩效自评报告绩效评价综合得分 {综合得分}", within=2)))
    installed_layout = Path(reportdsl.__file__).resolve().parent / "layouts" / "hubei.rpt"  # editable or not
    assert into_layout.uri == installed_layout.as_uri()
    layout_line = installed_layout.read_text(encoding="utf-8").split("\n")[into_layout.range.start.line]
    assert "let 综合得分" in layout_line
    into_prior = await client.text_document_definition_async(lsp.DefinitionParams(
        lsp.TextDocumentIdentifier(uri), position_of(text, "本年收入合计@上年", "let 上年收入合计")))
    assert into_prior.uri == (workspace / "hongshan_2022.rpt").as_uri() and into_prior.range.start.line == 9


async def test_find_references_lists_uses_in_the_report_and_the_layout(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    found = await client.text_document_references_async(lsp.ReferenceParams(
        text_document=lsp.TextDocumentIdentifier(uri), position=position_of(text, "gpb", "check gpb.年初预算"),
        context=lsp.ReferenceContext(include_declaration=True)))
    files = {location.uri.rsplit("/", 1)[-1] for location in found}
    assert files == {"hongshan_2023.rpt", "hubei.rpt"} and len(found) > 20


async def test_completion_offers_item_keys_measures_formats_and_names(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    end = text.rstrip("\n").count("\n") + 1
    edits = ['let 甲 = gpb[', 'let 乙 = gpb.', 'para "{收支总计:', 'let 丙 = 收支']
    labels = []
    for version, typed in enumerate(edits, start=2):
        change = lsp.TextDocumentContentChangePartial(lsp.Range(lsp.Position(end, 0), lsp.Position(end, 200)), typed)
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(lsp.VersionedTextDocumentIdentifier(version, uri), [change]))
        found = await client.text_document_completion_async(lsp.CompletionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(end, len(typed))))
        labels.append({item.label for item in found.items})
    keys, measures, formats, names = labels
    assert {"2060101", "206", "22102"} <= keys
    assert {"年初预算", "决算", "基本", "项目", "leaves"} <= measures
    assert {"增减", "升降", "%.2", ".2"} <= formats
    assert {"收支总计", "收支总计@上年", "gpb", "change", "fact", "section"} <= names


async def test_outline_lists_parts_sections_trees_and_items_and_blocks_fold(client: LanguageClient, workspace):
    uri, text = await open_sample(client, workspace)
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri)))
    names = {s.name: s for s in symbols}
    gpb = names["gpb"]
    assert gpb.kind == lsp.SymbolKind.Struct and gpb.children[0].name == "206 科学技术支出"
    assert gpb.children[0].children[0].children[0].name == "2060101 行政运行"
    assert names["部门主要职责"].kind == lsp.SymbolKind.Module
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(lsp.TextDocumentIdentifier(uri)))
    assert (gpb.range.start.line, gpb.range.end.line) in {(f.start_line, f.end_line) for f in folds}
    assert (0, 13) in {(f.start_line, f.end_line) for f in folds}  # the opening comment block, lines 1-14


async def test_formatting_returns_the_fmt_text(client: LanguageClient, workspace):
    path = workspace / "hongshan_2022.rpt"
    text = path.read_text(encoding="utf-8").replace("fact 收支总计                 = 447.20", "fact   收支总计=447.20")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(path.as_uri(), "reportdsl", 1, text)))
    edits = await client.text_document_formatting_async(lsp.DocumentFormattingParams(
        lsp.TextDocumentIdentifier(path.as_uri()), lsp.FormattingOptions(2, True)))
    assert len(edits) == 1 and edits[0].new_text == (ROOT / "reports/hongshan_2022.rpt").read_text(encoding="utf-8")


async def code_actions_after(client, workspace, old: str, new: str) -> tuple[list[lsp.CodeAction], str]:
    path = workspace / "hongshan_2023.rpt"
    text = path.read_text(encoding="utf-8").replace(old, new, 1)
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "reportdsl", 1, text)))
    published = await diagnostics_for(client, uri, version=1)
    errors = [d for d in published if d.severity == lsp.DiagnosticSeverity.Error]
    assert errors
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(uri), errors[0].range, lsp.CodeActionContext(errors)))
    return actions, text


def apply(text: str, edit: lsp.TextEdit) -> str:
    lines = text.split("\n")
    start, end = edit.range.start, edit.range.end
    before = "\n".join(lines[: start.line] + [lines[start.line][: start.character]])
    after = lines[end.line][end.character :] + "\n" + "\n".join(lines[end.line + 1 :])
    return before + edit.new_text + after


async def test_a_misspelt_name_gets_a_did_you_mean_quick_fix(client: LanguageClient, workspace):
    actions, text = await code_actions_after(client, workspace, "let 上年收支总计                 = 收支总计@上年",
                                             "let 上年收支总计                 = 收支总@上年")
    assert [a.title for a in actions] == ["change '收支总' to '收支总计'"]
    (edit,) = next(iter(actions[0].edit.changes.values()))
    assert "= 收支总计@上年" in apply(text, edit).split("\n")[edit.range.start.line]
