"""Output consistency: amounts in sentences with the tables' two decimals, one precision per kind of
rate within a section (RD415), and only items with a figure to report listed (issue 16, point 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import compile_snippet
from year_2024 import make_2023_and_2024

from reportdsl.compiler import compile_file
from reportdsl.model import Heading, Paragraph, TableModel

REPORTS = Path(__file__).resolve().parents[1] / "reports"
RATES = '''fact a = 127.05
fact b = 100.00
fact c = 114.29
part "p" {{
  section "s" {{ para "完成年初预算的 {{rate(a, b):{first}}}。" para "其中完成 {{rate(c, b):{second}}}，占 {{share(c, a):%.1}}。" }}
  section "t" {{ para "完成年初预算的 {{rate(c, b):%.1}}。" }}
}}
'''


def precision_warnings(body: str) -> list[str]:
    return [d.message for d in compile_snippet(body).diagnostics if d.code == "RD415"]


def test_two_precisions_of_one_kind_of_rate_in_a_section_are_a_warning():
    [message] = precision_warnings(RATES.format(first="%.1", second="%.2"))
    assert "completion rate" in message and "114.29%" in message and "127.1%" in message


def test_one_precision_per_kind_and_other_kinds_or_sections_with_their_own_are_fine():
    assert precision_warnings(RATES.format(first="%.2", second="%.2")) == []


def test_an_amount_typed_with_one_decimal_prints_with_two():
    assert compile_snippet('fact x = 70.0\npart "p" { para "项目支出 {x} 万元" }\n').document.paragraphs() == ["项目支出 70.00 万元"]


def test_a_rate_named_by_a_let_is_of_the_kind_of_its_formula():
    body = 'fact a = 1\nfact b = 3\nlet 变动率 = change(a, b) as %.1\npart "p" { para "下降 {abs(变动率)}，{change(b, a):%.2}" }\n'
    assert len(precision_warnings(body)) == 1


AMOUNTS = 'fact 基本 = 278.43\nfact 项目 = 110.90\nfact 车 = 70.0\nfact 人数 = 3 人\nfact 变动 = -4.50\n{lets}part "p" {{ para "{text}" }}\n'


def amount_warnings(text: str, lets: str = "") -> list[str]:
    return [d.message for d in compile_snippet(AMOUNTS.format(text=text, lets=lets)).diagnostics if d.code == "RD416"]


def test_an_amount_printed_with_fewer_decimals_than_the_tables_is_a_warning():
    [message] = amount_warnings("基本支出 {基本:g} 万元，项目支出 {项目:g} 万元")
    assert "110.9 万元" in message and "110.90" in message


def test_a_typed_70_0_printed_as_70_is_a_warning():
    [message] = amount_warnings("购车 {车:g} 万元")
    assert "(70 万元)" in message


def test_an_amount_whose_format_names_its_decimals_is_what_the_layout_says():
    assert amount_warnings("项目支出 {项目:.1} 万元，购车 {车:.0} 万元，{约数}", "let 约数 = 基本 as .0\n") == []


def test_counts_direction_words_and_default_amounts_are_not_amounts_short_of_decimals():
    assert amount_warnings("{人数:g} 人，{变动:增减} {abs(变动)} 万元，{项目} 万元") == []


@pytest.fixture(scope="module", params=["hongshan_2023.rpt", "putuo_social_work_2024.rpt"])
def sample(request):
    return compile_file(str(REPORTS / request.param))


def test_the_samples_print_each_kind_of_rate_with_one_precision_per_section(sample):
    assert [d for d in sample.diagnostics if d.code == "RD415"] == []


def test_the_layouts_print_the_samples_amounts_with_the_tables_precision(sample):
    assert [d for d in sample.diagnostics if d.code == "RD416"] == []


def test_the_hubei_sample_prints_every_amount_in_its_sentences_with_two_decimals():
    result = compile_file(str(REPORTS / "hongshan_2023.rpt"))
    amounts = re.findall(r"(?<![\d.])(\d+(?:\.\d+)?) ?万元", "\n".join(result.document.paragraphs()))
    assert len(amounts) > 60
    assert [a for a in amounts if not re.fullmatch(r"\d+\.\d\d", a) and a != "100"] == []  # 价值 100 万元以上: a threshold


def test_a_filled_next_year_prints_a_typed_amount_with_two_decimals_and_lists_only_items_with_figures(tmp_path):
    result = compile_file(str(make_2023_and_2024(tmp_path)))
    text = "\n".join(result.document.paragraphs())
    assert "项目支出 95.00 万元" in text  # typed 95.00; a sentence with :g printed 95 (and 110.90 as 110.9)
    assert "其他行政事业单位医疗支出" not in section_text(result, "财政拨款支出决算具体情况")
    rows = [row[0].text for table in tables(result) for row in table.rows]
    assert "2101199" not in rows and "2080506" in rows  # gone to zero: out of tables 2, 3 and 5; the new 项 in
    assert not re.search(r"(?<![\d.])\d+(\.\d)?万元", text.replace(" ", "").replace("100万元以上", ""))


def tables(result) -> list:
    return [block for block in result.document.blocks if isinstance(block, TableModel)]


def section_text(result, title: str) -> str:
    blocks, inside, found = result.document.blocks, False, []
    for block in blocks:
        if isinstance(block, Heading):
            inside = title in block.title
        elif inside and isinstance(block, Paragraph):
            found.append(block.full_text)
    return "\n".join(found)


def compile_variant(tmp_path: Path, name: str, changes: dict[str, str]):
    """A sample report with some of its lines changed, compiled where it can find its layout and prior."""
    text = (REPORTS / name).read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    for other in REPORTS.glob("*.rpt"):
        (tmp_path / other.name).write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    return compile_file(str(tmp_path / name))


def table(result, title: str):
    return next(t for t in tables(result) if t.title.endswith(title))


def row_texts(model) -> list[list[str]]:
    return [[cell.text for cell in row] for row in model.rows]


def test_a_hubei_kind_gone_to_zero_leaves_tables_1_and_4_with_their_totals_facing(tmp_path):
    result = compile_variant(tmp_path, "hongshan_2023.rpt", {
        "(10.62, 11.61, 11.61, -)": "(10.62, 0, 0, -)", "(    0,  2.62,  2.62, -)": "(    0, 0, 0, -)"})
    for title in ("收入支出决算总表", "财政拨款收入支出决算总表"):
        rows = row_texts(table(result, title))
        assert not any("卫生健康支出" in cell for row in rows for cell in row), title
        totals = next(row for row in rows if row[0] == "本年收入合计")
        assert "本年支出合计" in totals, (title, totals)  # the padding counts only the rows printed
    assert "卫生健康支出" in "\n".join(c for row in row_texts(table(compile_file(str(REPORTS / "hongshan_2023.rpt")),
                                                                      "收入支出决算总表")) for c in row)


def test_a_shanghai_item_with_nothing_to_report_is_left_out_of_its_tables_and_an_unfilled_one_kept(tmp_path):
    result = compile_variant(tmp_path, "putuo_social_work_2024.rpt", {
        '      2013999 "其他社会工作事务支出"': '      2013902 "一般行政管理事务" (0, 0, 0, -)\n'
                                             '      2013998 "待填列事务" (?, ?, ?, ?)\n'
                                             '      2013999 "其他社会工作事务支出"'})
    codes = {title: [row[0] for row in row_texts(table(result, title))]
             for title in ("收入决算表", "支出决算表", "一般公共预算财政拨款支出决算表")}
    for title, rows in codes.items():
        assert "2013901" in rows and "2013902" not in rows and "2013998" in rows, (title, rows)


def test_the_fixed_enumerations_keep_the_zeros_their_published_documents_print():
    putuo = "\n".join(compile_file(str(REPORTS / "putuo_social_work_2024.rpt")).document.paragraphs())
    assert "工程采购0.00万元、服务采购0.00万元" in putuo.replace(" ", "")  # as p. 22 prints "0 万元"
    assert "部级领导干部用车0辆" in putuo.replace(" ", "")
    hongshan = "\n".join(compile_file(str(REPORTS / "hongshan_2023.rpt")).document.paragraphs()).replace(" ", "")
    assert "政府采购货物支出0.00万元" in hongshan and "公务用车购置费0.00万元" in hongshan


@pytest.mark.parametrize("values, printed", [
    ("(0, -)", False), ("(-, -)", False), ("(0, 0.00)", False), ("(0, 0.01)", True), ("(?, 0)", True)])
def test_reported_is_true_for_a_row_with_a_figure_to_report_or_one_still_to_fill(values, printed):
    body = f'items t "t" (a, b) {{\n  1 "甲" {values}\n}}\npart "p" {{ for x in t.leaves if reported(x.a, x.b) {{ para "列出" }} }}\n'
    assert ("列出" in compile_snippet(body).document.paragraphs()) is printed
