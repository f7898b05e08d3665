"""Import of the prose, by kind: every figure a disclosure's text prints is stated, bound to the
layout's sentence it belongs to or typed as a published figure of the department's own text. The
disclosure here is made up, worded unlike the sample reports, as one we have not seen would be."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportdsl.compiler import compile_text
from reportdsl.importing import import_document

from helpers import import_made_text

ROOT = Path(__file__).resolve().parents[1]
HONGSHAN = ROOT / "reports" / "hongshan_2023.rpt"

DISCLOSURE = """某某区科普服务中心 2024 年度部门决算
第三部分 2024 年度部门决算情况说明
一、收入支出决算总体情况说明
2024 年度收、支总计均为 500.00 万元。与 2023 年度相比，收、支总计各增加 50.00 万元，增长 11.1%。主要原因是新增科普场馆运营。
六、一般公共预算财政拨款基本支出决算情况说明
2024年度一般公共预算财政拨款基本支出300.00万元，其中：
人员经费 250.00 万元，主要包括：基本工资、津贴补贴、奖金。
公用经费 50.00 万元，主要包括：办公费、印刷费。
十三、预算绩效情况说明
（二）部门决算中项目绩效自评结果。
网格化科普经费项目绩效自评综述：项目全年预算数为 80.00 万元，执行数为 76.00 万元，完成预算 95%。主要产出和效益：一是开展培训 12 场次；二是覆盖社区 30 个。
第四部分 其他需要说明的情况
一、重点工作开展情况综述
全年举办科普讲座 24 场，受众 3000 人次。
组织科普讲座 24 场，其中线上 10 场。
"""
FIGURES = 15  # 500.00 50.00 11.1% | 300.00 250.00 50.00 | 80.00 76.00 95% 12 30 | 24 3000 | 24 10


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return import_made_text(tmp_path_factory, "made.txt", DISCLOSURE)


def test_every_figure_of_the_text_is_stated_and_none_is_left_unread(result):
    summary = result.summary
    assert summary.unread == ()
    assert summary.prose_bound + summary.prose_own == FIGURES


def test_the_report_written_from_the_text_compiles_without_a_syntax_or_name_error(result):
    found = compile_text(result.text, "made.rpt").diagnostics
    assert not [d for d in found if d.code in ("RD001", "RD101", "RD102", "RD111")], [d.message for d in found]


def test_a_total_a_change_and_its_rate_bind_to_the_expressions_their_sentence_claims(result):
    held = {s.expr: s.literal for s in result.stated}
    assert held["收支总计"] == "500.00"
    assert held["abs(收支变动)"] == "50.00" and held["abs(收支变动率)"] == "11.1%"


def test_a_project_named_by_its_sentence_becomes_an_item_with_its_amounts_and_outputs(result):
    text = result.text
    assert '自评1 "网格化科普经费" (80.00, 76.00) note "一是开展培训 {开展培训} 场次；二是覆盖社区 {覆盖社区} 个。"' in text
    held = {s.expr: s.literal for s in result.stated}
    assert held["rate(自评[自评1].执行数, 自评[自评1].全年预算)"] == "95%"
    assert "自评项目个数" not in held  # an amount of money never binds to a count


def test_an_item_list_fills_the_list_the_layout_prints(result):
    assert 'fact 人员经费构成 = "基本工资、津贴补贴、奖金"' in result.text.replace("  ", " ")
    assert 'fact 公用经费构成 = "办公费、印刷费"' in result.text.replace("  ", " ")
    assert result.summary.lists_stated == 2


def test_an_item_list_with_no_table_behind_it_names_the_items_of_the_tree_it_lists():
    from reportdsl.importing.match_prose import ProseMatcher
    from reportdsl.importing.assemble import load_layout
    from reportdsl.importing.match_tables import TableMatcher

    layout = load_layout("hubei")
    prose = ProseMatcher(layout, "made.txt", TableMatcher(layout, "made.txt"))
    prose.name_listed_items("公用经费明细", ["办公费", "印刷费", "维修费", "办公费"])
    nodes = prose.tables.trees["公用经费明细"].nodes.values()
    # each once, with its code where the classification gives one name one code
    assert [(n.key, n.label) for n in nodes] == [("30201", "办公费"), ("30202", "印刷费"), ("公用经费明细3", "维修费")]


def test_a_section_whose_text_matches_no_sentence_is_kept_with_its_figures_typed_as_published(result):
    text = result.text
    assert 'section 重点工作综述 "重点工作开展情况综述" {' in text
    assert '  para "全年举办科普讲座 {举办科普讲座} 场，受众 {受众} 人次。"' in text
    assert "fact 举办科普讲座 = 24 场" in re.sub(r" +", " ", text)
    where = dict(result.locations)["受众"]
    assert where.section == "一、重点工作开展情况综述" and "3000 人次" in where.sentence


def test_the_same_words_with_the_same_figure_printed_again_are_stated_against_the_first(result):
    again = [s for s in result.stated if s.expr == "举办科普讲座"]
    assert again == [] or all(s.literal == "24 场" for s in again)
    repeated = [s for s in result.stated if s.literal == "24 场"]
    assert [s.expr for s in repeated] == ["组织科普讲座"] or repeated == []


def test_a_completion_rate_binds_to_the_budget_its_sentence_names():
    from reportdsl import ast
    from reportdsl.importing.match_prose import claimed_base

    layout_rate = ast.Call("rate", (ast.Name("支出"), ast.Name("支出", "全年预算")))
    declared = {"支出@全年预算", "支出@年初预算"}
    claimed = claimed_base(layout_rate, "支出决算为 307.82 万元，完成年初预算的", declared)
    assert claimed == ast.Call("rate", (ast.Name("支出"), ast.Name("支出", "年初预算")))
    per_item = ast.Call("rate", (ast.Name("x"), ast.Coalesce(ast.Attr(ast.Name("x"), "全年预算"), ast.Attr(ast.Name("x"), "年初预算"))))
    assert claimed_base(per_item, "完成全年预算数的", declared).args[1] == ast.Attr(ast.Name("x"), "全年预算")
    assert claimed_base(layout_rate, "完成预算的", declared) == layout_rate  # no budget named: as the layout has it


def test_the_note_printed_under_an_empty_table_is_kept_in_place_of_the_layouts(tmp_path):
    from made_documents import change_words, compile_report

    book = compile_report(str(HONGSHAN), "docx", tmp_path)
    changed = tmp_path / "note.docx"
    own = "说明：本单位 2023 年度未安排政府性基金预算资金，本表无数据。"
    change_words(book, changed, "说明：本部门当年无政府性基金预算财政拨款收入支出，故本表为空表。", own)
    result = import_document(str(changed), "hubei", "note.docx")
    assert f'  empty "{own}"' in result.text
    from reportdsl.model import TableModel

    back = compile_text(result.text, "note.rpt")
    (table,) = [b for b in back.document.blocks if isinstance(b, TableModel) and b.name == "t7"]
    assert table.empty and table.notes == (own,)


BASE_OF_NO_RATE = """某某县文化服务中心2023年度部门决算
第二部分 2023年度部门决算情况说明
一、收入支出决算总体情况说明
2023年度收、支总计均为12.50万元。与2022年相比，收、支总计各增加12.50万元，增长--（上年基数为0，不可比）。主要原因是本年新设立。
七、一般公共预算“三公”经费情况说明
2023年度“三公”经费财政拨款支出决算为2.50万元，比上年决算数增加2.50万元，因上年基数为0，无法计算增长率。
"""


def test_the_zero_base_a_sentence_names_to_say_why_it_prints_no_rate_is_not_a_figure(tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "base.txt", BASE_OF_NO_RATE)
    # before, the 0 was stated as 三公.全年预算 and typed as a figure of the department's own (上年基数 = 0)
    assert [s.literal for s in imported.stated if s.location.sentence.endswith("无法计算增长率。")] == ["2.50"]
    assert imported.summary.unread == () and imported.summary.prose_bound + imported.summary.prose_own == 4
    assert not re.search(r"=\s+0(\s|$)", imported.text, re.M)  # no figure of 0, bound or the department's own


NUMBERED_TWICE = """某某县文化服务中心2023年度部门决算
第六部分 附件
（二）部门整体绩效目标完成情况
1.执行率情况
全年预算数 12.00 万元，实际执行数 11.00 万元，执行率 91.67%。
2.完成的绩效目标
完成情况：全面完成目标，完成 100%
1.1推进科普服务，全年开展讲座 12 场。
1.2、更新科普橱窗内容 3 次。
3.未完成的绩效目标
无
"""


def test_numbered_lines_of_a_text_are_headings_or_paragraphs_and_their_numbers_are_not_figures(tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "numbered.txt", NUMBERED_TWICE)
    literals = sorted(s.literal for s in imported.stated) + sorted(
        line.split("=")[1].split("#")[0].strip() for line in imported.text.splitlines() if line.startswith("fact "))
    assert "1.1" not in literals and "1.2" not in literals  # "1.1推进…" and "1.2、…" begin paragraphs
    assert re.search(r'^fact 未完成的绩效目标 += "无"', imported.text, re.M)  # under "3.未完成的绩效目标", a heading
    # 12.00 11.00 91.67% | 100% 12 3
    assert imported.summary.unread == () and imported.summary.prose_bound + imported.summary.prose_own == 6


PROCUREMENT_WORDED_OTHERWISE = """某某区档案馆 2024 年度部门决算
第四部分 其他需要说明的情况
（二）政府采购支出情况
某某区档案馆 2024 年度政府采购金额（以签约为准）为 36.50 万元，其中：货物采购金额 30.00 万元、工程采购金额 0 万元、服务采购金额 6.00 万元。
"""


def test_a_total_worded_otherwise_in_an_aside_and_its_verb_is_compared_with_the_items_printed_after_it(tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "procurement.txt", PROCUREMENT_WORDED_OTHERWISE, "shanghai-2024")
    assert imported.summary.unread == () and imported.summary.prose_own == 0
    assert {s.expr: s.literal for s in imported.stated}["政府采购金额"] == "36.50"
    assert '货物 "货物采购" (30.00)' in imported.text and '服务 "服务采购" ( 6.00)' in imported.text
    found = compile_text(imported.text, "procurement.rpt").diagnostics
    wrong = [d for d in found if d.code == "RD308" and "36.50" in d.message]
    assert len(wrong) == 1 and "36.00" in wrong[0].help[0]  # the items printed after it add up to 36.00


TABLES_NAMED = """某某区档案馆 2024 年度部门决算
第三部分 2024 年度部门决算情况说明
一、收入支出决算总体情况说明
2024 年度收、支总计均为 500.00 万元（详见公开01表）。与 2023 年度相比，收、支总计各增加 50.00 万元，增长 11.1%，具体见附表1、第 3 号表。
"""


def test_the_number_of_a_table_the_text_points_to_is_not_a_figure(tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "named.txt", TABLES_NAMED, "shanghai-2024")
    assert imported.summary.unread == () and imported.summary.prose_own == 0
    assert imported.summary.prose_bound == 3  # 500.00, 50.00 and 11.1%; not the 01, 1 or 3 naming tables
