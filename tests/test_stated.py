"""`stated` blocks: a published document's figures, located, compared at their printed precision."""

from __future__ import annotations

from helpers import compile_snippet

from reportdsl.source_printer import format_report
from reportdsl.parser import parse_text
from reportdsl.source import SourceFile

TREE = '''items gpb (决算) {
  208 "社会保障和就业支出" {
    20801 "人力资源和社会保障管理事务" (12.00)
    20805 "行政事业单位养老支出" (46.15)
  }
}
fact 收支总计 = 376.72
fact 收支总计@上年 = 447.20
let 收支变动率 = change(收支总计, 收支总计@上年)
fact 名单 = "甲、乙"
'''

STATED = '''stated page 7 table "表五 一般公共预算财政拨款支出决算表" {
  gpb[208].决算   = 58.14  row "208 社会保障和就业支出" column "决算数"
  gpb[20801].决算 = 12.00  row "20801 人力资源和社会保障管理事务" column "决算数"
}
stated page 3 section "收入支出决算总体情况说明" {
  收支总计         = 376.72  sentence "2023 年度收、支总计均为 376.72 万元。"
  abs(收支变动率) = 15.8%   sentence "…收、支总计各减少 70.48 万元，下降 15.8%。"
  名单             = "甲、乙"
}
'''


def diagnostics(body: str):
    return compile_snippet(body).diagnostics


def test_a_stated_figure_that_disagrees_is_reported_with_its_place():
    found = diagnostics(TREE + STATED)
    assert [(d.code, d.span.line) for d in found] == [("RD308", 13)]
    assert found[0].message == ("printed on p. 7, 表五 一般公共预算财政拨款支出决算表, row 208 社会保障和就业支出, "
                                "column 决算数: 58.14; the report gives 58.15 万元")
    assert found[0].help[1].startswith("rule: rounds to")


def test_stated_figures_that_agree_give_nothing():
    assert not diagnostics(TREE + STATED.replace("= 58.14", "= 58.15"))


def test_a_stated_figure_is_compared_at_the_decimals_it_was_printed_with():
    body = TREE + 'stated section "说明" {\n  abs(收支变动率) = 15.76%\n  abs(收支变动率) = 16%\n  收支总计 = 376.7\n}'
    assert not diagnostics(body)
    wrong = TREE + 'stated section "说明" {\n  abs(收支变动率) = 18.7%  sentence "下降 18.7%"\n}'
    found = diagnostics(wrong)
    assert [d.code for d in found] == ["RD308"]
    assert "“下降 18.7%”: 18.7%; the report gives 15.7602…%" in found[0].message
    assert "18.7% is what the current year as denominator gives" in found[0].help[2] and "15.76%" in found[0].help[2]


def test_a_stated_text_is_compared_as_written_and_both_texts_are_printed():
    found = diagnostics(TREE + 'stated section "说明" {\n  名单 = "甲、丙"  sentence "名单：甲、丙"\n}')
    assert "'甲、丙'; the report gives '甲、乙'" in found[0].message


def test_a_blank_cell_agrees_with_no_figure_or_zero_only():
    body = TREE + 'fact 零 = 0\nitems t (a) {\n  x "x" (-)\n}\nstated table "表" {\n  零 = -\n  t[x].a = -\n  收支总计 = -\n}'
    found = diagnostics(body)
    assert [d.span.line for d in found] == [19] and "blank; the report gives 376.72 万元" in found[0].message


def test_a_printed_zero_agrees_with_a_cell_the_report_leaves_empty_but_not_with_a_gap_of_another_kind():
    # Some departments print 0.00 for a 类 with no spending where the layout leaves the cell empty.
    body = TREE + ('items t (a) {\n  x "x" (-)\n}\nfact 零 = 0\nlet 无 = 1 / 零\n'
                   'stated table "表" {\n  t[x].a = 0.00\n  max(y.a for y in t.children if y.a != 0) = 0.00\n'
                   '  t[x].a = 0.01\n  无 = 0.00\n}')
    found = diagnostics(body)
    assert [d.span.line for d in found] == [20, 21], [d.message for d in found]
    assert "0.01; the report gives no figure" in found[0].message


def test_a_stated_block_can_be_a_warning():
    found = diagnostics(TREE + STATED.replace('决算表" {', '决算表" warning {'))
    assert [(d.code, d.is_error) for d in found] == [("RD308", False)]


def test_a_stated_block_under_the_interval_rule():
    body = TREE + 'stated table "表" interval {\n  gpb[208].决算 = 58.155\n}'
    assert not diagnostics(body)


def test_a_stated_entry_with_an_undefined_name_is_reported_once_as_undefined():
    found = diagnostics(TREE + 'stated table "表" {\n  没有 = 1.00\n}')
    assert [d.code for d in found] == ["RD101"]


def test_a_stated_amount_against_a_ratio_says_so():
    found = diagnostics(TREE + 'stated table "表" {\n  收支变动率 = 15.76\n}')
    assert [d.code for d in found] == ["RD308"] and "ratio" in found[0].help[1]


def test_fmt_prints_stated_blocks_canonically_and_losslessly():
    text = ('report "x" year 2023 unit 万元\nfact a = 1.00\n'
            'stated   page 7 table "表五" warning {\n a = 1.00 column "决算数"   row "合计"\n'
            '  abs(a) = -1.5 万元\n a = 100.0%  sentence "占 100.0%"\n a = "x\\"y"\n a = -\n}\n'
            'stated section "说明" {}\n')
    report = parse_text(text, "x.rpt")
    formatted = format_report(report, SourceFile("x.rpt", text))
    assert parse_text(formatted, "x.rpt") == report
    assert format_report(parse_text(formatted, "x.rpt"), SourceFile("x.rpt", formatted)) == formatted
    assert 'a      = 1.00    row "合计" column "决算数"' in formatted


def test_the_worked_example_of_the_language_reference_gives_the_one_cent_gap_only():
    from pathlib import Path

    from reportdsl.compiler import compile_text

    page = (Path(__file__).resolve().parents[1] / "docs" / "language.md").read_text(encoding="utf-8")
    section = page.split("## Stating a published document")[1]
    example = next(block for block in section.split("```")[1::2] if block.lstrip().startswith("report"))
    result = compile_text(example.lstrip("\n"), "example.rpt")
    assert [d.code for d in result.diagnostics] == ["RD308"]
    assert "row 208 社会保障和就业支出" in result.diagnostics[0].message
    assert "58.14; the report gives 58.15 万元" in result.diagnostics[0].message
