"""The editor's answers computed from a compiled report (the server only carries them): quick fixes,
the name index, completion contexts."""

from __future__ import annotations

from helpers import HEADER, compile_snippet
from reportdsl.compiler import compile_text
from reportdsl.editor.features import completions, quick_fixes
from reportdsl.editor.index import NameIndex


def fixed(body: str, code: str) -> str:
    """The snippet with the quick fix of its first `code` diagnostic applied, checked again."""
    result = compile_snippet(body)
    diagnostic = next(d for d in result.diagnostics if d.code == code)
    (fix,) = quick_fixes(NameIndex(result), diagnostic)
    text = result.source.text
    repaired = text[: fix.span.start] + fix.new_text + text[fix.span.end :]
    again = compile_text(repaired, "t.rpt")
    assert not [d for d in again.diagnostics if d.code == code], [d.message for d in again.diagnostics]
    return repaired.removeprefix(HEADER)


def test_a_direction_word_before_a_zero_figure_is_fixed_to_the_level_form():
    body = ('fact 接待费 = 0\nfact 接待费@全年预算 = 0\n'
            'part "三公" {\n  para "比全年预算增加 {接待费 - 接待费@全年预算} 万元。"\n}\n')
    assert fixed(body, "RD402").splitlines()[3] == (
        '  para "比全年预算{if 接待费 - 接待费@全年预算 != 0}{接待费 - 接待费@全年预算:增减} '
        '{abs(接待费 - 接待费@全年预算)} 万元{else}持平{end}。"')
    paragraphs = compile_text(HEADER + fixed(body, "RD402"), "t.rpt").document.paragraphs()
    assert paragraphs == ["比全年预算持平。"]


def test_a_clause_dividing_by_a_zero_base_is_wrapped_in_an_if():
    body = ('fact 预算 = 0\nfact 决算 = 5\n'
            'part "p" {\n  para "支出决算 {决算} 万元，完成预算的 {决算 / 预算}。"\n}\n')
    assert fixed(body, "RD201").splitlines()[3] == '  para "支出决算 {决算} 万元{if 预算 != 0}，完成预算的 {决算 / 预算}{end}。"'
    assert compile_text(HEADER + fixed(body, "RD201"), "t.rpt").document.paragraphs() == ["支出决算 5.00 万元。"]


def test_a_misspelt_measure_is_fixed_to_the_one_meant():
    body = 'items t "表" (决算) {\n  a "甲" (1)\n}\nlet x = t.决第\n'
    assert fixed(body, "RD104").splitlines()[-1] == "let x = t.决算"


def test_the_index_ties_a_template_name_to_its_definition_and_lists_its_uses():
    result = compile_snippet('fact 总计 = 3\nlet 两倍 = 总计 * 2\npart "p" { para "{两倍} 与 {总计}" }\n')
    index = NameIndex(result)
    text = result.source.text
    use = index.at("t.rpt", text.index("{总计}") + 1)
    assert use.kind == "figure" and use.target.line == 2
    assert [o.span.line for o in index.references(use.target)] == [2, 3, 4]


def test_completion_after_a_tree_and_a_bracket_offers_its_item_keys_with_their_names():
    result = compile_snippet('items t "表" (决算) {\n  206 "科学技术支出" {\n    20601 "管理事务" (1)\n  }\n}\n')
    index = NameIndex(result)
    source = result.source
    typed = type(source)(source.path, source.text + "let y = t[")
    assert [(c.label, c.detail) for c in completions(index, typed, len(typed.text))] == [
        ("206", "科学技术支出"), ("20601", "管理事务")]


def test_hover_names_a_packaged_layout_without_the_machines_folders():
    from pathlib import Path

    from reportdsl.compiler import compile_file
    from reportdsl.editor.features import hover

    result = compile_file("reports/hongshan_2023.rpt")
    text = result.source.text
    offset = text.index("{综合得分}") + 2
    _, shown = hover(NameIndex(result), result.source.path, offset)
    assert "layout hubei:" in shown  # explain's way of naming a packaged layout
    assert str(Path.cwd()) not in shown
