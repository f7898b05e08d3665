"""Import of disclosures shaped unlike the samples, as real ones from other provinces are: half-width
punctuation (as web copies and some PDF extractions print it), headings numbered and worded otherwise,
paragraphs under no heading of the layout, amounts in 元 with thousands separators, the sub-item a
sentence names where the layout names its parent. The text here is made up, of the same shapes."""

from __future__ import annotations

import re

import pytest

from reportdsl.compiler import compile_text
from reportdsl.importing import import_document

from helpers import import_made_text, stated_figures as held
from reportdsl.importing.published import label_of

DISCLOSURE = """某某县文化服务中心2023年度部门决算
第二部分 2023年度部门决算情况说明
(一)收入支出决算总体情况
2023年度收、支总计各是1,250.40,1,248.10万元。与2022年相比,收、支总计各增加120.40,118.10万元,各增长10.65%、10.45%。主要原因是新增文化惠民项目。
(二)收入决算情况说明
2023年本年收入合计1250.40万元,其中:一般公共预算财政拨款收入1100.00万元,占87.97%;其他收入150.40万元,占12.03%。
七、一般公共预算“三公”经费情况说明
2023年度“三公”经费财政拨款支出决算为12.50万元,比上年决算数增加2.50万元。
八、其他事项
全年政府采购支出总额
36,000.00 元,其中:政府采购货物支出 16,000.00 元。
"""
FIGURES = 15  # 1,250.40 1,248.10 120.40 118.10 10.65% 10.45% | 1250.40 1100.00 87.97% 150.40 12.03% | 12.50 2.50 | 36,000.00 16,000.00


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return import_made_text(tmp_path_factory, "unseen.txt", DISCLOSURE)


def test_every_figure_of_a_text_shaped_otherwise_is_read_and_none_is_dropped(result):
    assert result.summary.unread == ()
    assert result.summary.prose_bound + result.summary.prose_own == FIGURES


def test_half_width_punctuation_and_a_heading_numbered_in_half_width_brackets_are_read(result):
    assert held(result)["收支总计"][0] == "1250.40"
    assert "abs(收支变动)" in held(result)


def test_a_heading_worded_otherwise_is_the_layouts_section_about_the_same_thing(result):
    assert held(result)["abs(三公经费变动)"] == ["2.50"]  # the change from the prior year, not from the budget


def test_a_share_of_the_sub_item_the_sentence_names_binds_to_that_item_not_to_its_parent(result):
    assert held(result)["share(收入[一般公共预算].决算, 本年收入合计)"] == ["87.97%"]
    assert "收入[财政拨款]" not in " ".join(held(result))


def test_an_amount_printed_in_yuan_in_a_report_in_wanyuan_keeps_its_unit_and_is_never_bound():
    text = "某某县文化服务中心2023年度部门决算\n一、收入支出决算总体情况说明\n2023年度收、支总计均为1250.40万元。其中政府采购 36,000.00 元。\n"
    imported = _imported(text)
    assert "36000.00 元" in imported.text
    assert not [s for s in imported.stated if s.literal.startswith("36000")]


def test_a_document_without_a_unit_line_is_in_the_unit_its_prose_prints_amounts_in():
    text = "某某县文化服务中心2023年度部门决算\n一、收入支出决算总体情况说明\n2023年度收、支总计均为 5,806,105.16 元。\n"
    imported = _imported(text)
    assert "unit 元" in imported.text.splitlines()[2]
    assert any(s.literal == "5806105.16" and s.expr == "收支总计" for s in imported.stated)


def test_the_report_written_compiles_without_a_syntax_or_name_error(result):
    found = compile_text(result.text, "unseen.rpt").diagnostics
    assert not [d for d in found if d.code in ("RD001", "RD101", "RD102", "RD106", "RD111")], [d.message for d in found]


@pytest.mark.parametrize("words, name", [
    ("公务用车购置及运行维护费支出决算为", "公务用车购置及运行维护费"),
    ("“三公”经费财政拨款支出决算为12.50万元，完成全年预算15.00万元的", "三公经费完成全年预算"),
    ("“三公”经费财政拨款支出决算为12.50万元，比上年决算数增加2.50万元，增长", "三公经费增长"),
    ("其中：因公出国（境）费12.02万元，占", "因公出国费占比"),
    ("    年度收、支总计各是4125.49，", "收支总计"),
    ("某某中心    年度政府采购金额（以合同签订为准）为", "政府采购金额"),
])
def test_a_figure_the_layout_does_not_print_is_named_by_what_its_clause_is_about(words, name):
    assert label_of(words) == name


def _imported(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "made.txt"
        path.write_text(text, encoding="utf-8")
        imported = import_document(str(path), "hubei", "made.txt")
    assert imported.ok, [d.message for d in imported.diagnostics]
    return imported


def test_a_figure_of_an_item_printed_in_the_paragraph_about_the_whole_is_not_bound_to_the_whole():
    text = ("某某县文化服务中心2023年度部门决算\n（一）“三公”经费财政拨款支出决算总体情况说明\n"
            "2023年度“三公”经费财政拨款支出决算为12.50万元，比上年决算数增加2.50万元。"
            "其中：因公出国（境）费支出决算为1.00万元，比上年决算数增加1.00万元。\n")
    imported = _imported(text)
    changes = [s.literal for s in imported.stated if s.expr == "abs(三公经费变动)"]
    assert changes == ["2.50"]  # 1.00 is the change of 因公出国（境）费, typed as the department's own
    assert imported.summary.prose_bound + imported.summary.prose_own == 4


def test_a_change_from_a_year_before_the_prior_one_is_not_the_change_from_the_prior_year():
    text = ("某某县文化服务中心2023年度部门决算\n（一）“三公”经费财政拨款支出决算总体情况说明\n"
            "2023年度“三公”经费财政拨款支出决算为12.50万元，比上年决算数增加2.50万元；"
            "比2019年（疫情前）决算数减少4.00万元。\n")
    imported = _imported(text)
    assert [s.literal for s in imported.stated if s.expr == "abs(三公经费变动)"] == ["2.50"]
    assert "4.00" in imported.text  # typed as the department's own, with its sentence


SANGONG_WORDED_OTHERWISE = """某某县农业服务中心2023年度部门决算
（一）“三公”经费财政拨款支出决算总体情况说明
某某县农业服务中心2023年度“三公”经费财政拨款支出决算为30.00万元，完成全年预算40.00万元的75.0%。其中：因公出国（境）费支出决算为2.00万元，完成预算4.00万元的50.0%；公务用车购置及运行维护费支出决算为18.00万元，完成预算20.00万元的90.0%；其中：公务用车运行维护费支出决算为18.00万元，完成预算20.00万元的90.0%；公务接待费支出决算为10.00万元，完成预算16.00万元的62.5%。
（二）“三公”经费财政拨款支出决算具体情况说明
2023年度“三公”经费财政拨款支出决算中，因公出国（境）费2.00万元，占6.7%。
"""


@pytest.fixture(scope="module")
def sangong(tmp_path_factory):
    return import_made_text(tmp_path_factory, "sangong.txt", SANGONG_WORDED_OTHERWISE)


def test_an_item_worded_otherwise_than_the_layout_is_that_item_and_its_figures_never_another_items(sangong):
    rates = {s.expr: s.literal for s in sangong.stated if s.expr.startswith("rate(")}
    assert rates["rate(三公[出国].决算, 三公[出国].全年预算)"] == "50.0%"
    assert rates["rate(三公[车].决算, 三公[车].全年预算)"] == "90.0%"  # 公务用车购置及运行维护费: the layout's 购置及运行费
    assert rates["rate(三公[运行].决算, 三公[运行].全年预算)"] == "90.0%"  # 公务用车运行维护费: the layout's 运行费
    assert rates["rate(三公[接待].决算, 三公[接待].全年预算)"] == "62.5%"


def test_figures_of_items_printed_in_the_overview_fill_the_items_the_detail_section_prints(sangong):
    assert re.search(r'出国 +"因公出国（境）费" +\( *4\.00, +2\.00\)', sangong.text)
    assert re.search(r'接待 +"公务接待费" +\( *16\.00, +10\.00\)', sangong.text)


def test_a_figure_after_a_name_alone_is_not_the_budget_the_layouts_sentence_prints_there(sangong):
    assert "2.00" not in [s.literal for s in sangong.stated if s.expr.endswith("全年预算")]
    assert not re.search(r'出国 +"因公出国（境）费" +\( *2\.00,', sangong.text)


def test_the_whole_of_a_tree_never_lends_its_rate_to_one_of_its_items(sangong):
    assert "75.0%" not in [s.literal for s in sangong.stated if "三公[" in s.expr]


def test_each_wording_of_a_name_is_tried_and_one_two_items_share_names_neither():
    from reportdsl.importing.wordings import name_forms, named_last

    assert {"公务用车运行维护费", "公务用车运行费"} <= name_forms("公务用车运行费")
    assert "机关运行费" in name_forms("机关运行经费") and "一般公共服务" in name_forms("一般公共服务支出")
    labels = {"运行": "公务用车运行费", "车": "公务用车购置及运行费"}
    assert named_last("其中：公务用车运行维护费支出决算为", labels) == (len("其中：公务用车运行维护费"), "运行")
    assert named_last("费用", {"a": "甲费", "b": "乙费用"}) is None


def test_an_item_of_a_list_worded_otherwise_is_found_in_its_usual_wording(tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n七、财政拨款“三公”经费支出决算情况说明\n"
            "本年度“三公”经费财政拨款支出预算 6.00 万元，决算 5.00 万元。分项看，因公出国（境）费决算 0.00 万元；"
            "公务用车购置及运行费决算 4.50 万元；公务接待费决算 0.50 万元。\n")
    imported = import_made_text(tmp_path_factory, "sangong_sh.txt", text, "shanghai-2024")
    assert re.search(r'车 +"公务用车购置及运行维护费" +\( *-, +4\.50,', imported.text)  # worded 购置及运行费
    assert re.search(r'接待 +"公务接待费" +\( *-, +0\.50,', imported.text)


def test_an_address_a_span_of_time_and_a_numbering_with_a_misplaced_quote_are_not_figures():
    text = ("某某县文化服务中心2023年度部门决算\n（二）一般公共预算财政拨款支出决算结构情况\n"
            "一般公共预算财政拨款支出 120.00 万元，主要用于以下方面：\n11“. 文化旅游体育与传媒支出”120.00 万元，占 100%。\n"
            "主要用于：幸福路 252 弄 4 号装修工程、15 分钟社区生活圈规划。\n")
    imported = _imported(text)
    literals = [s.literal for s in imported.stated] + re.findall(r"^fact \S+ += (\S+)", imported.text, re.M)
    assert not {"11", "252", "4", "15", "15 分"} & set(literals), literals


def test_an_items_change_whose_prior_year_figure_is_printed_nowhere_asks_for_it_instead_of_reading_it_as_zero(
        tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n七、财政拨款“三公”经费支出决算情况说明\n"
            "本年度“三公”经费财政拨款支出预算 6.00 万元，决算 5.00 万元。分项看，因公出国（境）费决算 0.00 万元；"
            "公务用车购置及运行费决算 4.50 万元；公务接待费决算 0.50 万元。\n"
            "公务用车购置及运行维护费支出决算增加 1.50 万元，增长 50.00%。\n")
    imported = import_made_text(tmp_path_factory, "sangong_change.txt", text, "shanghai-2024")
    assert re.search(r'车 +"公务用车购置及运行维护费" +\( *-, +4\.50, +\?\)', imported.text)
    assert re.search(r'出国 +"因公出国（境）费" +\( *-, +0\.00, +-\)', imported.text)  # nothing reads its prior year
    checked = compile_text(imported.text, "sangong_change.rpt")
    asked = [d for d in checked.diagnostics if d.code == "RD401" and "上年决算数" in d.message]
    assert [d.message for d in asked] == ["上年决算数 of '公务用车购置及运行维护费' is not filled in"]
    assert not [d for d in checked.diagnostics if d.code == "RD308"]  # 1.50 and 50.00% wait for that figure
    assert any("RD308" in note and "1.50" in note for _, note in asked[0].related)


RESERVED_LAYOUT = """report "示例" year 2024 unit 万元

part 说明 "情况说明" {
  section 预留 "一、预留项目情况" {
    fact 本地预留 = ?
    fact 乡村预留 = ? within 本地预留
    fact 本地承接 = ?
    fact 乡村承接 = ?
    para "本年为本地企业预留的服务项目经费 {本地预留} 万元，其中为乡村企业预留 {乡村预留} 万元。
          预留给本地企业的项目中，由本地企业承接的金额 {本地承接} 万元；预留给乡村企业的项目中，
          由乡村企业承接的金额 {乡村承接} 万元。"
  }
}
"""


def test_a_figure_whose_clause_names_one_of_two_rival_qualifiers_never_binds_to_the_slot_of_the_other(
        tmp_path, tmp_path_factory):
    """The layout prints 本地 and 乡村 in place of one another in otherwise alike clauses: they tell its
    figures apart. The second figure's words resemble the 本地 sentence far more than the short
    "其中为乡村企业预留", but its clause names 乡村, so it is 乡村预留's."""
    layout = tmp_path / "reserved_layout.rpt"
    layout.write_text(RESERVED_LAYOUT, encoding="utf-8")
    text = ("某某服务中心\n2024 年度部门决算\n一、预留项目情况\n"
            "本中心本年面向本地企业预留服务项目经费 9.00 万元，面向乡村企业预留服务项目经费 4.00 万元。"
            "在面向乡村企业预留的项目中，由乡村企业承接的，金额 3.00 万元；"
            "在面向本地企业预留的项目中，由本地企业承接的，金额 7.00 万元。\n")
    imported = import_made_text(tmp_path_factory, "reserved.txt", text, str(layout))
    facts = dict(re.findall(r"^fact (\S+) += (\S+)", imported.text, re.M))
    assert facts == {"本地预留": "9.00", "乡村预留": "4.00", "乡村承接": "3.00", "本地承接": "7.00"}
    assert imported.stated == ()


def test_the_small_business_share_of_the_reserved_budget_binds_to_its_own_input_on_the_shanghai_layout(
        tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n（二）政府采购支出情况\n"
            "本年度本中心面向中小企业预留采购项目预算额度 6.00 万元，面向小微企业预留采购项目预算额度 2.50 万元。"
            "在面向小微企业预留的采购项目中，由小微企业供应商中标或成交的，采购金额 2.00 万元；"
            "在面向中小企业预留的采购项目中，由中小企业供应商中标或成交的，采购金额 5.00 万元。\n")
    imported = import_made_text(tmp_path_factory, "reserved_sh.txt", text, "shanghai-2024")
    facts = dict(re.findall(r"^fact (\S+) += (\S+)", imported.text, re.M))
    assert facts["中小企业预留预算金额"] == "6.00" and facts["小微企业预留预算金额"] == "2.50"
    assert facts["预留项目小微企业中标金额"] == "2.00" and facts["预留项目中小企业中标金额"] == "5.00"
    checked = compile_text(imported.text, "reserved_sh.rpt")
    assert not [d for d in checked.diagnostics if d.code == "RD308"]


RECEPTIONS = ("某某区绿化服务中心\n2024 年度部门决算\n七、财政拨款“三公”经费支出决算情况说明\n"
              "（二）“三公”经费财政拨款支出决算具体情况说明。\n"
              "2、公务用车购置及运行维护费支出 1.20 万元。其中：\n公务用车购置支出为 0 万元。\n"
              "公务用车运行维护支出 1.20 万元。主要用于日常巡查用车的燃料和维修。\n"
              "3、公务接待费支出 0.60 万元。其中：国内公务接待支出 0.60 万元（含外宾接待支出 0.10 万元）。"
              "主要用于来访交流的工作餐，公务接待 3 批次、30 人次，其中：接待外宾 1 批次、5 人次。\n")


def test_a_count_of_receptions_never_binds_to_an_amount_of_money_and_fills_the_count_the_layout_prints(
        tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "receptions.txt", RECEPTIONS, "shanghai-2024")
    facts = dict(re.findall(r"^fact (\S+) += (.+?) *  #", imported.text, re.M))
    assert facts["接待批次"] == "3 批次" and facts["接待人次"] == "30 人次"
    assert facts["外宾接待批次"] == "1 批次" and facts["外宾接待人次"] == "5 人次"
    assert facts["外宾接待费"] == "0.10"
    assert not [s for s in imported.stated if s.literal.endswith("批次")]


def test_a_purpose_is_the_one_of_the_item_its_paragraph_last_names_not_of_the_first_item_with_one(tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "purposes.txt", RECEPTIONS, "shanghai-2024")
    assert re.search(r'运行 +"公务用车运行维护费" +\(.*\) note "日常巡查用车的燃料和维修"', imported.text)
    assert re.search(r'接待 +"公务接待费" +\(.*\) note "来访交流的工作餐', imported.text)
    assert not re.search(r'购置 +"公务用车购置费" +\(.*\) note', imported.text)


def test_a_paragraph_about_an_item_named_by_lei_kuan_and_xiang_is_about_it_whatever_item_its_purpose_mentions(
        tmp_path_factory):
    """群众文化 is no code of the built-in classification, and its purpose mentions 文化活动: the figures
    are still 群众文化's, the item the paragraph names (its 项, under its 款)."""
    text = ("某某区文化服务中心\n2024 年度部门决算\n一般公共预算财政拨款支出决算表\n单位：万元\n项目\n合计 基本支出 项目支出\n"
            "功能分类\n科目名称\n科目编码\n207 文化旅游体育与传媒支出 90.00 60.00 30.00\n20701 文化和旅游 90.00 60.00 30.00\n"
            "2070108 文化活动 30.00 0.00 30.00\n2070109 群众文化 60.00 60.00 0.00\n合计 90.00 60.00 30.00\n"
            "注：本表反映部门本年度一般公共预算财政拨款支出情况。\n"
            "五、一般公共预算财政拨款支出决算情况说明\n（三）一般公共预算财政拨款支出决算具体情况\n"
            "1、文化旅游体育与传媒支出（类）文化和旅游（款）文化活动（项）。主要用于：节庆活动。年初预算为 25.00 万元，"
            "支出决算为 30.00 万元。\n"
            "2、文化旅游体育与传媒支出（类）文化和旅游（款）群众\n文化（项）。主要用于：文化馆运转，以及社区文化活动。"
            "年初预算为 65.00 万元，支出决算为 60.00 万元。\n")
    imported = import_made_text(tmp_path_factory, "chain.txt", text, "shanghai-2024")
    assert re.search(r'2070108 +"文化活动" +\( *25\.00,', imported.text)
    assert re.search(r'2070109 +"群众文化" +\( *65\.00,', imported.text)


def test_a_figure_of_a_paragraph_running_over_a_page_break_of_a_text_is_placed_on_its_own_page(tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n一、收入支出决算总体情况说明\n"
            "某某区绿化服务中心 2024 年度收入支出总计 350.00 万元。与 2023 年度相比，收入支出总计增加\n\f\n"
            "20.00 万元，增长 6.06%。主要原因是养护面积增加。\n")
    imported = import_made_text(tmp_path_factory, "over_pages.txt", text, "shanghai-2024")
    pages = {s.literal: s.location.page for s in imported.stated}
    assert pages["350.00"] == 1 and pages["6.06%"] == 2  # the paragraph begins on page 1


def test_a_row_number_before_a_name_in_a_list_printed_as_text_is_no_figure(tmp_path_factory):
    text = ("某某区文化服务中心\n2024 年度部门决算\n二、部门决算单位构成\n纳入某某区文化服务中心 2024 年度部门决算编制范围的单位包括：\n"
            "序号 单位名称 备注\n1 某某区文化服务中心（本级）\n2 某某区文化馆\n3 某某区图书馆\n"
            "一、收入支出决算总体情况说明\n2024 年度收入支出总计 350.00 万元，公务用车 2 辆。\n")
    imported = import_made_text(tmp_path_factory, "units.txt", text, "shanghai-2024")
    assert imported.summary.prose_bound + imported.summary.prose_own == 2  # 350.00 万元, 2 辆: not 1, 2, 3
    assert not re.search(r"^fact 单位数", imported.text, re.M)


def test_a_total_of_a_fixed_tree_no_table_of_the_copy_prints_is_the_reports_figure_not_compared_with_zero(
        tmp_path_factory):
    """A copy of the narrative without 表六: 人员经费 and 公用经费 are typed from the prose, where the
    empty 经济 tree would have made them 0 and every printed figure a false RD308."""
    text = ("某某区绿化服务中心\n2024 年度部门决算\n六、一般公共预算财政拨款基本支出决算情况说明\n"
            "一般公共预算财政拨款基本支出 300.00 万元。其中：人员经费 250.00 万元，主要包括：基本工资、津贴补贴；"
            "公用经费 50.00 万元，主要包括：办公费、差旅费。\n"
            "十一、其他重要事项的情况说明\n（一）机关运行经费支出情况\n机关运行经费支出 40.00 万元。\n")
    imported = import_made_text(tmp_path_factory, "no_table_six.txt", text, "shanghai-2024")
    assert re.search(r"^fact 人员经费 += 250\.00", imported.text, re.M)
    assert re.search(r"^fact 公用经费 += 50\.00", imported.text, re.M)
    found = compile_text(imported.text, "no_table_six.rpt").diagnostics
    assert not [d for d in found if d.code in ("RD308", "RD305") and ("人员经费" in d.message or "公用经费" in d.message)]


def test_a_count_printed_after_the_layouts_unit_word_in_a_shorter_unit_is_that_count(tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n七、财政拨款“三公”经费支出决算情况说明\n"
            "（二）“三公”经费财政拨款支出决算具体情况说明。\n"
            "3、公务接待费支出 0.20 万元。其中：国内公务接待支出 0.20 万。主要用于接待来访考察团，其中：接待批次 2 次、"
            "接待 12 人次。\n")
    imported = import_made_text(tmp_path_factory, "batches.txt", text, "shanghai-2024")
    assert re.search(r"^fact 接待批次 += 2 批次", imported.text, re.M)  # "接待批次 2 次" counts 批次
    assert re.search(r"^fact 接待人次 += 12 人次", imported.text, re.M)


def test_a_figure_with_decimals_that_begins_a_wrapped_line_before_its_unit_is_no_numbering(tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n十、预算绩效管理情况\n"
            "本中心绩效自评的 2024 年度项目 12 个，涉及预算金额 300.00 万元，平均得分\n92.50分（其中，绩效评级为“优”的项目 10 个）。\n")
    imported = import_made_text(tmp_path_factory, "score.txt", text, "shanghai-2024")
    assert re.search(r"^fact 绩效自评平均得分 += 92\.50 分", imported.text, re.M)


ITEMS_OF_A_PARTIAL_TABLE = ("某某街道办事处\n2025 年度部门决算\n一般公共预算财政拨款支出决算表\n单位：万元\n项目\n合计 基本支出 项目支出\n"
                            "功能分类\n科目名称\n科目编码\n201 一般公共服务支出 40.00 0.00 40.00\n"
                            "20129 群众团体事务 40.00 0.00 40.00\n2012902 一般行政管理事务 40.00 0.00 40.00\n"
                            "注：本表反映部门本年度一般公共预算财政拨款支出情况。\n"
                            "五、一般公共预算财政拨款支出决算情况说明\n（三）一般公共预算财政拨款支出决算具体情况\n"
                            "1、一般公共服务支出（类）群众团体事务（款）一般行政管理事务（项）40.00 万元，主要用于：妇女儿童工作。"
                            "年初预算为 45.00 万元，支出决算为 40.00 万元。\n"
                            "2、一般公共服务支出（类）组织事务（款）一般行政管理事务（项）60.00 万元，主要用于：党建工作。"
                            "年初预算为 70.00 万元，支出决算为 60.00 万元。\n")


def test_the_amount_after_an_items_lei_kuan_and_xiang_is_what_it_spent_and_stated_against_its_row(tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "partial.txt", ITEMS_OF_A_PARTIAL_TABLE, "shanghai-2024")
    spent = "(gpb[2012902].基本支出 ?? 0 万元) + (gpb[2012902].项目支出 ?? 0 万元)"
    prose = [s.literal for s in imported.stated if s.expr == spent and not s.location.table]
    assert prose == ["40.00", "40.00"]  # "（项）40.00" and "支出决算为 40.00", each checked against the table's row


def test_figures_of_an_item_the_table_does_not_print_bind_neither_to_a_namesake_of_another_kuan_nor_to_the_whole(
        tmp_path_factory):
    imported = import_made_text(tmp_path_factory, "partial_other.txt", ITEMS_OF_A_PARTIAL_TABLE, "shanghai-2024")
    assert re.search(r'2012902 +"一般行政管理事务" +\( *45\.00,', imported.text)  # 群众团体事务's, not 70.00
    bound = {s.expr: s.literal for s in imported.stated}
    assert "70.00" not in bound.values() and "60.00" not in bound.values()  # 组织事务's item is no row here
    assert re.search(r"^fact \S+ += 70\.00 ", imported.text, re.M)  # typed as the department's own, with its place
