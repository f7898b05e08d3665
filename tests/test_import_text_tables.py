"""Tables printed as text, as web copies and text extracted from a PDF give them: a title, a 单位 line,
header words broken over lines, then a row to a line or a cell to a line. The text here is made up,
in the shapes real disclosures print (a name wrapped onto lines of its own, a code printed in 类 and
款 columns, a table continued over a page, one side of a two-sided table left empty)."""

from __future__ import annotations

import re

import pytest

from helpers import import_made_text, stated_figures as bound

TABLES = """某某区绿化服务中心
2024 年度部门决算
第二部分 某某区绿化服务中心 2024 年度部门决算表
收入支出决算总表
单位：万元
收入 支出
项目 决算数 项目 决算数
一、一般公共预算财政拨款收入 350.00 一、文化旅游体育与传媒支出 300.00
二、政府性基金预算财政拨款收入 0.00 二、社会保障和就业支出 50.00
三、国有资本经营预算财政拨款收入 0.00
本年收入合计 350.00 本年支出合计 350.00
总计 350.00 总计 350.00
注：本表反映部门本年度的总收支和年末结转结余情况。
一般公共预算财政拨款支出决算表
单位：万元
项 目 一般公共预算财政拨款支出决算数
功能分类
科目编码 科目名称 合计 基本支出 项目支出
类 款 项
207 文化旅游体育与传媒支出 300.00 200.00 100.00
20701 文化和旅游 300.00 200.00 100.00
2070101 行政运 200.00 200.00 0.00
2070109
群众文化
100.00 0.00 100.00
12
\f
208 社会保障和就业支出 50.00 50.00 0.00
20805 行政事业单位养老支出 50.00 50.00 0.00
2080505 机关事业单位基本养老保险缴费支出 50.00 50.00 0.00
合计 350.00 250.00 100.00
注：本表反映部门本年度一般公共预算财政拨款支出情况。
一般公共预算财政拨款基本支出决算表
单位：万元
经济分类
科目编码 科目名称 决算数 科目名称 决算数
类 款 类 款
301 工资福利支出 240.00 302 商品和服务支出 8.00
301 01 基本工资 120.00 302 01 办公费 5.00
机关事业单位基本
301 08 120.00 302 11 差旅费 3.00
养老保险缴费
310 资本性支出 2.00
310 02 办公设备购置 2.00
人员经费合计 240.00 公用经费合计 10.00
财政拨款“三公”经费支出决算表
单位：万元
财政拨款“三公”经费
公务用车购置及运行维护费
合计 因公出国（境）费 公务接待费
小计 公务用车购置费 公务用车运行维护费
预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数 预算数 决算数
6.00 5.00 0.00 0.00 5.00 4.50 0.00 0.00 5.00 4.50 1.00 0.50
收入决算表
单位：万元
项目 金额
合计 350.00
第三部分 某某区绿化服务中心 2024 年度部门决算情况说明
五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
一般公共预算财政拨款支出年初预算为 340.00 万元，支出决算为 350.00 万元，完成年初预算的 102.94%。决算数大于预算数的主要原因：年中追加项目。其中：
1.文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项），主要用于中心日常运转。年初预算为 190.00 万元，支出决算为 200.00 万元。决算数大于预算数的主要原因：人员增加。
"""
ROWS = 5 + 8 + 6 + 1  # 收入支出决算总表, 一般公共预算财政拨款支出决算表 (over two pages), 基本支出 (two sides), 三公


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return import_made_text(tmp_path_factory, "text_tables.txt", TABLES, "shanghai-2024")


def values(result) -> dict[str, tuple]:
    return {figure: (where.page, where.table, where.row, where.column) for figure, where in result.locations}


def test_every_row_of_the_tables_printed_as_text_is_read(result):
    assert result.summary.rows_read == ROWS
    assert len(result.summary.tables_matched) == 4


def test_a_row_printed_on_a_line_puts_each_figure_in_the_layouts_column_in_order(result):
    assert "2070101 \"行政运\"   (190.00, -, 200.00,   0.00)" in result.text
    assert values(result)["gpb[2070101].项目支出"] == (1, "一般公共预算财政拨款支出决算表", "2070101 行政运", "项目支出")


def test_a_name_wrapped_onto_a_line_of_its_own_is_joined_to_its_code_and_figures(result):
    assert '2070109 "群众文化" (     -, -,   0.00, 100.00)' in result.text


def test_a_table_continued_after_a_page_break_and_its_page_number_is_one_table(result):
    assert values(result)["gpb[2080505].基本支出"][0] == 2
    assert "12" not in [where.row for _, where in result.locations]


def test_a_code_printed_in_lei_and_kuan_columns_is_one_code_even_when_its_name_is_wrapped_around_it(result):
    found = values(result)
    assert found["经济[30101].决算"][2] == "30101 基本工资"
    assert found["经济[30108].决算"][2] == "30108 机关事业单位基本养老保险缴费"  # its halves before and after the code
    assert "30108 \"机关事业单位基本养老保险缴费\" (120.00)" in result.text


def test_a_row_printed_on_one_side_only_is_put_on_the_side_whose_items_it_names(result):
    assert re.search(r'31002 "办公设备购置" +\(2\.00\)', result.text)
    assert result.summary.rows_read == ROWS  # 310 and 31002 are two rows of 公用, not one row of both sides
    assert values(result)["收入[国有资本经营].决算"][2] == "三、国有资本经营预算财政拨款收入"


def test_a_row_of_figures_alone_is_the_one_row_of_a_table_of_totals(result):
    assert values(result)["三公[接待].决算数"][3] == "公务接待费/决算数"


def test_a_text_table_whose_header_does_not_name_the_layouts_columns_is_a_warning_saying_what_was_found(result):
    warned = [d for d in result.diagnostics if d.code == "RD515"]
    assert len(warned) == 1
    assert "收入决算表" in warned[0].message and "page 2" in warned[0].message
    assert "收入决算表" not in result.summary.tables_matched


def test_the_lines_of_a_table_printed_as_text_are_not_read_as_prose(result):
    assert result.summary.prose_bound + result.summary.prose_own == 5  # 340.00 350.00 102.94% 190.00 200.00


def test_an_item_the_text_names_by_lei_kuan_and_xiang_is_found_by_its_code_however_the_table_words_it(result):
    assert values(result)["gpb[2070101].年初预算"][0] == 2  # the table prints 行政运, the text 行政运行


def test_a_row_printing_more_or_fewer_figures_than_the_layouts_columns_is_a_warning_not_a_guess(tmp_path_factory):
    text = TABLES.replace("20805 行政事业单位养老支出 50.00 50.00 0.00", "20805 行政事业单位养老支出 50.00 50.00")
    imported = import_made_text(tmp_path_factory, "short_row.txt", text, "shanghai-2024")
    warned = [d.message for d in imported.diagnostics if d.code == "RD507"]
    assert len(warned) == 1 and "20805 行政事业单位养老支出 50.00 50.00" in warned[0]
    assert "gpb[20805].基本支出" not in values(imported)
    assert imported.summary.rows_read == ROWS - 1


def test_an_item_whose_row_cannot_be_put_in_columns_is_asked_for_not_left_out_of_its_parents_sum(tmp_path_factory):
    """The row's figures were printed, so they are not blanks: its item is written with `?`, and `check`
    asks for them instead of finding its parent's printed total wrong."""
    from reportdsl.compiler import compile_text

    text = TABLES.replace("2080505 机关事业单位基本养老保险缴费支出 50.00 50.00 0.00",
                          "2080505 机关事业单位基本养老保险缴费支出 50.00 50.00")
    imported = import_made_text(tmp_path_factory, "unknown_row.txt", text, "shanghai-2024")
    assert re.search(r'2080505 +"机关事业单位基本养老保险缴费支出" +\( *-, +-, +\?, +\?\)', imported.text)
    assert imported.summary.rows_read == ROWS - 1 and "gpb[2080505].基本支出" not in values(imported)
    found = compile_text(imported.text, "unknown_row.rpt").diagnostics
    assert not [d for d in found if d.code == "RD301" and "行政事业单位养老支出" in d.message]
    asked = {d.message for d in found if d.code == "RD401"}
    assert {"基本支出 of '机关事业单位基本养老保险缴费支出' is not filled in",
            "项目支出 of '机关事业单位基本养老保险缴费支出' is not filled in"} <= asked


def test_a_table_printed_a_cell_to_a_line_with_its_line_numbers_is_read_as_rows(tmp_path_factory):
    cells = ["收入支出决算总表", "公开01表", "金额单位：万元", "收入", "支出", "项目", "行次", "金额", "项目", "行次", "金额",
             "一、一般公共预算财政拨款收入", "1", "350.00", "一、文化旅游体育与传媒支出", "29", "300.00",
             "二、政府性基金预算财政拨款收入", "2", "0.00", "二、社会保障和就业支出", "30", "50.00",
             "本年收入合计", "9", "350.00", "本年支出合计", "31", "350.00"]
    text = "某某区绿化服务中心\n2024 年度部门决算\n" + "\n".join(cells) + "\n"
    imported = import_made_text(tmp_path_factory, "cells.txt", text, "shanghai-2024")
    assert imported.summary.rows_read == 3
    assert values(imported)["收入[一般公共预算].决算"][2] == "一、一般公共预算财政拨款收入"
    assert not [d for d in imported.diagnostics if d.code in ("RD507", "RD515")]


def test_lines_of_figures_that_are_no_table_of_the_layout_never_run_together_into_one_number(tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n一、收入支出决算总体情况说明\n"
            "2024 年度收入、支出总计均为 350.00 万元。\n208 社会保障和就业支出 50.00 50.00 0.00\n"
            "2080505 机关事业单位基本养老保险缴费支出 50.00 50.00 0.00\n")
    imported = import_made_text(tmp_path_factory, "loose.txt", text, "shanghai-2024")
    assert "0.002080505" not in imported.text and "0.00 2080505" in imported.text


SHANGHAI_PROSE = """某某区绿化服务中心
2024 年度部门决算
第三部分 某某区绿化服务中心 2024 年度部门决算情况说明
四、财政拨款收入支出决算总体情况说明
某某区绿化服务中心 2024 年度财政拨款收入支出总计 350.00 万元。与 2023 年度相比，财政拨款收入支出总计增加 20.00 万元，增长 6.06%。主要原因：养护面积增加。
五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
一般公共预算财政拨款支出年初预算为 340.00 万元，支出决算为 350.00 万元，完成年初预算的 102.94%。其中：
1.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项），主要用于支付在职人员养老保险缴费支出。年初预算为 55.00 万元，支出决算为 50.00 万元。决算数小于预算数的主要原因：人员减少。
七、财政拨款“三公”经费支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明。
2024 年度“三公”经费财政拨款支出决算数比 2023 年度增加 1.00 万元，增长 25.00%。
（二）“三公”经费财政拨款支出决算具体情况说明。
1、因公出国（境）费支出 0.00 万元。全年安排因公出国（境）团组 0 个、累计 0 人次。
"""


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory):
    return import_made_text(tmp_path_factory, "shanghai_prose.txt", SHANGHAI_PROSE, "shanghai-2024")


def test_a_subheading_numbered_below_a_section_is_that_sections_not_another_parts_it_resembles(shanghai):
    assert "abs(财政拨款变动)" in bound(shanghai)
    assert bound(shanghai)["abs(财政拨款变动)"] == ["20.00"]  # 1.00 is the “三公” change, not 四's
    assert "abs(三公变动)" in bound(shanghai) or "三公变动" in shanghai.text


def test_a_paragraph_about_one_item_gives_its_budget_to_the_item_not_to_the_whole(shanghai):
    assert "一般公共预算财政拨款支出@年初预算" in bound(shanghai)
    assert bound(shanghai)["一般公共预算财政拨款支出@年初预算"] == ["340.00"]
    assert re.search(r"2080505 +\"机关事业单位基本养老保险缴费支出\" +\(55\.00,", shanghai.text)


def test_a_count_binds_only_where_the_layout_counts_in_its_unit(shanghai):
    assert re.search(r"fact 出国团组数 += 0 个", shanghai.text)
    assert not re.search(r"fact 出国团组数 += 0 人次", shanghai.text)
    assert not [s for s in shanghai.stated if s.expr == "出国团组数" and s.literal.endswith("人次")]


def test_rows_printed_without_their_blank_cells_are_read_where_each_side_prints_its_figures(tmp_path_factory):
    text = ("某某区绿化服务中心\n2024 年度部门决算\n收入支出决算总表\n单位：万元\n收入 支出\n项目 决算数 项目 决算数\n"
            "一、一般公共预算财政拨款收入 350.00 一、一般公共服务支出\n二、政府性基金预算财政拨款收入 二、外交支出\n"
            "三、国有资本经营预算财政拨款收入 三、国防支出 350.00\n二十二、灾害防治及应急管理支\n20.00\n出\n"
            "使用非财政拨款结余 结余分配\n年初结转和结余 年末结转和结余\n总计 350.00 总计 350.00\n")
    imported = import_made_text(tmp_path_factory, "blanks.txt", text, "shanghai-2024")
    rows = {where.row for _, where in imported.locations} | {s.location.row for s in imported.stated}
    assert imported.summary.rows_read == 4  # the rows printing a figure; a row printing none states nothing
    assert "三、国防支出" in rows and "二十二、灾害防治及应急管理支出" in rows and "总计" in rows
    assert not [d for d in imported.diagnostics if d.code in ("RD507", "RD515")]


def test_a_table_whose_rows_left_their_blank_cells_out_is_one_warning_showing_them(tmp_path_factory):
    text = TABLES.replace("2070101 行政运 200.00 200.00 0.00", "2070101 行政运 200.00 200.00") \
                 .replace("20701 文化和旅游 300.00 200.00 100.00", "20701 文化和旅游 300.00 100.00")
    imported = import_made_text(tmp_path_factory, "blank_cells.txt", text, "shanghai-2024")
    warned = [d.message for d in imported.diagnostics if d.code == "RD507"]
    assert len(warned) == 1 and "2 row(s)" in warned[0] and "'2070101 行政运 200.00 200.00'" in warned[0]


NAMES_AROUND_CODES = """某某区绿化服务中心
2024 年度部门决算
一般公共预算财政拨款支出决算表
单位：万元
项目
合计 基本支出 项目支出
功能分类
科目名称
科目编码
文化旅游体育与传媒
207 300.00 200.00 100.00
支出
20701 文化和旅游 300.00 200.00 100.00
2070101 行政运行 180.00 180.00 0.00
文化和旅游管理事
2070114 120.00 20.00 100.00
务
合计 300.00 200.00 100.00
注：本表反映部门本年度一般公共预算财政拨款支出情况。
一般公共预算财政拨款基本支出决算表
单位：万元
经济分类 经济分类
科目名称 决算数 科目名称 决算数
科目编码 科目编码
301 工资福利支出 190.00 302 商品和服务支出 10.00
30101 基本工资 150.00 30201 办公费 10.00
30103 奖金 30202 印刷费
30106 伙食补助费 30205 水费
30107 绩效工资 30206 电费
机关事业单位基本养老保
30108 40.00 30207 邮电费 0.00
险缴费
30109 职业年金缴费 0.00 30208 取暖费 0.00
人员经费合计 190.00 公用经费合计 10.00
"""


def test_a_name_printed_around_its_codes_line_is_one_name_and_the_row_is_read(tmp_path_factory):
    """A PDF's text puts a name wrapped in its cell above and below the line of its code and figures
    ("文化和旅游管理事 | 2070114 120.00 … | 务"), the first row's too, and on one side of a two-sided table
    whose codes outnumber its amounts (a code followed by an amount is still a code where amounts print
    decimals)."""
    imported = import_made_text(tmp_path_factory, "around.txt", NAMES_AROUND_CODES, "shanghai-2024")
    assert re.search(r'207 +"文化旅游体育与传媒支出" +\(', imported.text)
    assert re.search(r'2070114 +"文化和旅游管理事务" +\( *-, +-, +20\.00, +100\.00\)', imported.text)
    assert values(imported)["经济[30108].决算"][2] == "30108 机关事业单位基本养老保险缴费"
    assert not [d for d in imported.diagnostics if d.code in ("RD507", "RD515")]
    assert imported.summary.rows_read == 5 + 5  # 207 20701 2070101 2070114 合计 | 301|302 30101|30201 30108|30207 30109|30208 人员|公用


FUND_TABLE = """某某街道办事处
2025 年度部门决算
政府性基金预算财政拨款收入支出决算表
单位：万元
项目
年初结转和 年末结转和
本年收入 本年支出
功能分类
结余 结余
科目名称
科目编码
合计 80.00 合计 基本支出 项目支出
221 住房保障支出 0.00 80.00 80.00 0.00 80.00 0.00
超长期特别国债安
22198 0.00 80.00 80.00 0.00 80.00 0.00
排的支出
2219899 其他住房保障支出 0.00 80.00 80.00 0.00 80.00 0.00
注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。
"""


def test_header_words_printed_on_the_line_before_a_code_with_its_whole_standard_name_are_no_part_of_it(
        tmp_path_factory):
    """"合计 … 基本支出 项目支出 | 221 住房保障支出 …": 221's name is whole as printed with it (the
    classification's), so the words before are a header's, and the next name-only line is the head of
    the row after it, not 221's tail."""
    imported = import_made_text(tmp_path_factory, "fund_rows.txt", FUND_TABLE, "shanghai-2024")
    assert re.search(r'221 +"住房保障支出" +\(', imported.text)
    assert re.search(r'22198 +"超长期特别国债安排的支出" +\(', imported.text)
    assert re.search(r'2219899 +"其他住房保障支出" +\(', imported.text)
