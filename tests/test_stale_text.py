"""Stale and implausible text: reasons written for other figures, rates over 100% nothing explains,
figures printed in a format of another kind, rates typed as plain numbers (RD411–RD414)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from helpers import compile_snippet
from year_2024 import make_2023_and_2024

from reportdsl.compiler import compile_file

ITEMS = '''
items gpb "支出" (年初预算, 决算) {{
  2060101 "行政运行" ({budget}, {actual}) reason "{reason}"
}}
part "p" {{
  for x in gpb.leaves {{ para "{{x.name}}支出决算数{{x.决算 - x.年初预算:大小}}年初预算数的主要原因是{{x.reason}}。" }}
}}
'''


def found(body: str, code: str) -> list[str]:
    return [d.message for d in compile_snippet(body).diagnostics if d.code == code]


def test_a_reason_for_an_overrun_under_figures_now_under_budget_is_reported():
    messages = found(ITEMS.format(budget="200.00", actual="190.50", reason="新增人员"), "RD411")
    assert messages and "tells of an increase" in messages[0] and "小于" in messages[0]


def test_a_reason_that_matches_its_figures_is_not_reported():
    assert found(ITEMS.format(budget="100.00", actual="120.00", reason="新增人员"), "RD411") == []
    assert found(ITEMS.format(budget="100.00", actual="90.00", reason="压减会议开支"), "RD411") == []


def test_a_reason_under_a_direction_read_from_a_figure_still_marked_unfilled_waits_for_it():
    """An import leaves `?` where a table's cells could not be placed; `x.决算 ?? 0` reads it as 0
    until it is filled, which is no direction to judge a reason by."""
    body = ITEMS.format(budget="1422.00", actual="?", reason="年中增加活动预算").replace(
        "{x.决算 - x.年初预算:大小}", "{(x.决算 ?? 0) - x.年初预算:大小}")
    assert found(body, "RD411") == []
    assert found(body.replace("(1422.00, ?)", "(1422.00, 0)"), "RD411")  # filled: the reason is stale


def test_a_reason_for_a_decrease_under_figures_that_went_up_is_reported():
    assert found(ITEMS.format(budget="100.00", actual="120.00", reason="压减会议开支"), "RD411")


def test_a_reason_for_nothing_spent_is_reported_when_the_item_spent_something():
    messages = found(ITEMS.format(budget="0", actual="0.35", reason="本年没有发生公务接待支出"), "RD411")
    assert messages and "0.35 万元 was spent" in messages[0]


def test_a_reason_about_last_year_having_nothing_is_not_a_reason_for_nothing_spent():
    assert found(ITEMS.format(budget="0", actual="0.35", reason="上年度无此项支出"), "RD411") == []


def test_a_text_fact_for_nothing_spent_printed_after_an_increase_is_reported_at_the_fact():
    body = '''fact 原因 = "本单位业务运行不依托“三公”经费"
fact 变动 = 0.35
part "p" { para "比上年{变动:增减} {abs(变动)} 万元。主要原因是{原因}。" }
'''
    result = compile_snippet(body)
    stale = [d for d in result.diagnostics if d.code == "RD411"]
    assert [(d.span.line, "增加 0.35" in d.message) for d in stale] == [(2, True)]


def test_an_execution_rate_over_100_percent_is_a_warning_unless_the_section_says_why():
    body = '''fact 支出 = 351.69
fact 预算 = 340.00
let 执行率 = rate(支出, 预算) as %.2
part "p" { section "a" { para "预算执行率为 {执行率}。" } section "b" { para "执行率 {执行率}，主要原因是追加项目。" } }
'''
    result = compile_snippet(body)
    warned = [d for d in result.diagnostics if d.code == "RD412"]
    assert [(d.span.line, d.severity.value) for d in warned] == [(5, "warning")]
    assert "103.44%" in warned[0].message


def test_a_rate_under_100_percent_is_not_reported():
    body = 'fact a = 99\nfact b = 100\npart "p" { para "完成年初预算的 {rate(a, b):%.1}。" }\n'
    assert found(body, "RD412") == []


def test_an_amount_printed_as_a_percentage_is_an_error_with_what_to_type():
    body = 'fact 办复率 = 100\npart "p" { para "办复率 {办复率:%g}。" }\n'
    result = compile_snippet(body)
    [wrong] = [d for d in result.diagnostics if d.code == "RD413"]
    assert wrong.is_error and "10000%" in wrong.message
    assert "fact 办复率 = 100%" in wrong.help[0]
    assert "RD414" not in {d.code for d in result.diagnostics}  # said once, where it is printed


def test_a_percentage_printed_as_a_number_is_an_error():
    body = 'fact 率 = 15.8%\npart "p" { para "比例 {率:.2}。" }\n'
    assert found(body, "RD413")


def test_a_count_printed_as_a_percentage_is_an_error():
    assert found('fact 人数 = 6 人\npart "p" { para "{人数:%}" }\n', "RD413")


def test_a_percentage_printed_as_a_percentage_is_fine():
    assert found('fact 办复率 = 100%\npart "p" { para "办复率 {办复率:%g}。" }\n', "RD413") == []


def test_a_rate_typed_as_a_plain_number_gets_a_hint_even_where_it_is_not_printed():
    [hint] = [d for d in compile_snippet("fact 参与率 = 100\n").diagnostics if d.code == "RD414"]
    assert hint.severity.value == "warning" and "fact 参与率 = 100%" in hint.help[0]


def test_strict_check_fails_on_10000_percent(tmp_path):
    path = tmp_path / "x.rpt"
    path.write_text('report "示例" year 2024 unit 万元\nfact 办复率 = 100\npart "p" { para "办复率 {办复率:%g}。" }\n',
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "reportdsl", "check", "--strict", str(path)], capture_output=True, text=True)
    assert done.returncode == 1 and "RD413" in done.stdout


def test_next_years_report_filled_with_2024_figures_reports_every_stale_reason_and_implausible_figure(tmp_path):
    result = compile_file(str(make_2023_and_2024(tmp_path)))
    by_code = Counter(d.code for d in result.diagnostics)
    stale = sorted(d.message.split("'")[1] for d in result.diagnostics if d.code == "RD411")
    assert stale == sorted(["本单位业务运行不依托“三公”经费", "本年没有发生公务接待支出", "新增人员"])  # increased, spent, flipped
    over = [d for d in result.diagnostics if d.code == "RD412"]
    assert over and all("103.44%" in d.message for d in over)
    assert len(over) == 1  # the layout prints the rate in two sentences: one warning, a note for each
    assert result.source.line_text(over[0].span.line).split("=")[0].strip() == "fact 本年支出合计@全年预算"
    assert sum("the line of the layout" in note for _, note in over[0].related) == 2
    assert by_code["RD413"] >= 1 and all("办复率" in d.help[0] for d in result.diagnostics if d.code == "RD413")
    assert set(by_code) == {"RD411", "RD412", "RD413"}, by_code
    assert "年初预算为 0.00 万元，支出决算为 0.00 万元" not in "\n".join(result.document.paragraphs())  # the item gone to zero
    assert any("机关事业单位职业年金缴费支出" in p for p in result.document.paragraphs())  # the new 项
