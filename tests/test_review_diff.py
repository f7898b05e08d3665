"""`reportdsl diff` for a reviewer of next year's report: rows paired by code, numbers old → new with
change and rate, reasons listed, each change once, a one-screen `--stat`, the same under git."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from year_2024 import make_2023_and_2024

from reportdsl.cli import main
from reportdsl.review_diff import change_text, marked


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    folder = tmp_path_factory.mktemp("years")
    new = make_2023_and_2024(folder)
    return folder / "hongshan_2023.rpt", new


def diff(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def test_a_new_item_is_one_added_row_and_the_rows_after_it_stay_paired_by_code(two_years):
    out = diff(*two_years).output
    table = out.split("table 支出决算表:")[1].split("table ")[0]
    assert "+ 2080506 机关事业单位职业年金缴费支出: 本年支出合计 6.20; 基本支出 6.20" in table
    assert "2101101" not in table and "2210201" not in table  # unchanged rows after the new one: not shown
    assert "− 2101199 其他行政事业单位医疗支出: 本年支出合计 2.62; 基本支出 2.62" in table  # gone to zero: no row


def test_a_table_of_figures_under_a_nested_header_names_each_column_by_its_path(two_years):
    out = diff(*two_years).output
    table = out.split("table 财政拨款“三公”经费支出决算表:")[1].split("\n  2")[0]
    assert "~ row 1: 预算数/合计 0.00 → 0.50 (+0.50); 预算数/公务接待费 0.00 → 0.50 (+0.50); " \
           "决算数/合计 0.00 → 0.35 (+0.35); 决算数/公务接待费 0.00 → 0.35 (+0.35)" in table
    assert "side" not in table  # 预算数 | 决算数 is not 收入 | 支出: no halves with row names


def test_numbers_are_shown_old_to_new_with_the_change_and_the_rate(two_years):
    out = diff(*two_years).output
    assert "gpb 2060101 行政运行: 年初预算 169.84 → 200.00 (+30.16, +17.8%); 决算 194.11 → 190.50 (−3.61, −1.9%)" in out
    assert "本年支出合计@全年预算: 376.99 → 340.00 万元 (−36.99, −9.8%)" in out
    assert "执行率 [99.93% → 103.44%]" in out  # a sentence's number whole, not spliced digit by digit


def test_a_prior_year_figure_next_year_dropped_is_shown_read_from_last_years_report(two_years):
    assert "收支总计@上年: 447.20 → 376.72 (from hongshan_2023.rpt)" in diff(*two_years).output


def test_changed_reasons_are_listed(two_years):
    out = diff(*two_years).output.split("reasons, notes and texts:")[1].split("\n\n")[0]
    assert "gpb 2101199 其他行政事业单位医疗支出 reason: “增加医疗费报销” → “(none)”" in out
    assert "gpb 2080506 机关事业单位职业年金缴费支出 reason: “(none)” → “新增人员”" in out


def test_each_change_is_shown_once_and_the_years_own_number_is_not_a_change(two_years):
    out = diff(*two_years).output
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    for block in out.split("table ")[1:]:  # within a table, each row once
        rows = [line.strip() for line in block.split("\n  2")[0].splitlines()[1:] if line.strip()]
        assert len(rows) == len(set(rows))
    assert not any(line.startswith(("- ", "+ 2024 年度收、支总计")) for line in lines)  # no old/new/marked triple
    assert "[2023 → 2024]" not in out and "[-2023-]" not in out
    assert sum("2024 年度收、支总计均为 [376.72 → 351.69] 万元" in line for line in lines) == 1
    assert out.count("now failing: error[RD413]") == 1 and "(×3)" in out


def test_stat_is_a_summary_that_fits_on_a_screen(two_years, monkeypatch):
    monkeypatch.chdir(two_years[1].parent)
    result = diff("hongshan_2023.rpt", "hongshan_2024.rpt", "--stat")
    lines = result.output.rstrip("\n").splitlines()
    assert result.exit_code == 1 and len(lines) <= 20 and max(map(len, lines)) <= 100
    assert lines[0].endswith("(year 2023 → 2024)")
    assert any(line.strip().startswith("inputs ") and "changed (1 new)" in line for line in lines)
    assert "typed inputs" not in result.output


def test_the_git_driver_prints_the_same(two_years, monkeypatch):
    """git hands the driver a copy of the old version; it is compiled as the file git names."""
    _, new = two_years
    monkeypatch.chdir(new.parent)
    before = new.parent / "git-old"
    before.mkdir(exist_ok=True)
    for name in ("hongshan_2022.rpt", "hongshan_2023.rpt"):
        (before / name).write_text((new.parent / name).read_text(encoding="utf-8"), encoding="utf-8")
    old_text = new.read_text(encoding="utf-8").replace('reason "收到团委调剂的群团服务款项"', 'reason "承接区级项目"')
    (before / new.name).write_text(old_text, encoding="utf-8")
    plain = diff(f"git-old/{new.name}", new.name).output
    driver = diff(new.name, f"git-old/{new.name}", "abc", "100644", new.name, "def", "100644").output
    assert driver.split("\n", 1)[0] == f"reportdsl diff a/{new.name} b/{new.name}"
    assert driver.split("\n", 2)[2] == plain.split("\n", 1)[1]  # after the lines naming the files
    assert "reason: “承接区级项目” → “收到团委调剂的群团服务款项”" in plain


def test_a_percentage_changes_in_points_and_a_text_just_changes():
    assert change_text("15.8%", "6.6%") == "15.8% → 6.6% (−9.2 pp)"
    assert change_text("0", "0.35") == "0 → 0.35 (+0.35)"  # no rate over a zero base
    assert change_text("已完成", "未完成") == "已完成 → 未完成"


def test_a_sentence_marks_whole_numbers_and_words():
    assert marked("减少 70.48 万元", "增加 25.03 万元") == "[-减少-]{+增加+} [70.48 → 25.03] 万元"


def test_a_year_the_new_side_kept_while_the_report_moved_on_shows_as_last_year_not_as_a_change_of_year(two_years):
    out = diff(*two_years).output
    assert "完成区科协 [2023, as last year] 年" in out  # the 2023 report said 2023, and so does the 2024 one
    assert "[2024 → 2023]" not in out
    assert marked("完成 2024 年", "完成 2023 年", "完成 2023 年") == "完成 [2023, as last year] 年"
