"""`reportdsl explain`: a figure traced to the typed facts and their lines; a sentence figure by figure."""

from pathlib import Path

from click.testing import CliRunner

from year_2024 import make_2023_and_2024

from reportdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORT = str(ROOT / "reports" / "hongshan_2023.rpt")


LAYOUT = ROOT / "src" / "reportdsl" / "layouts" / "hubei.rpt"  # the report's layout: its formulae


def line_of(text: str, path: Path = ROOT / "reports" / "hongshan_2023.rpt") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.strip().startswith(text))


def explain(*args):
    return CliRunner().invoke(main, ["explain", REPORT, *args])


def test_the_change_rate_is_traced_to_376_72_and_447_20_with_their_lines():
    result = explain("收支变动率", "--full")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0] == "收支变动率 = -15.760286…% (printed -15.8%)"
    assert f"hongshan_2023.rpt:{line_of('fact 收支总计@上年')}: fact 收支总计@上年" in out and "447.20" in out
    assert "376.72" in out and f"layout hubei:{line_of('let 收支变动率', LAYOUT)}:" in out
    assert str(ROOT) not in out  # paths relative to the report, a packaged layout by its name


def test_a_line_item_measure_is_traced_to_its_typed_items():
    out = explain("gpb[20601].决算", "--full").output
    assert "gpb[20601].决算 (科学技术管理事务) = 314.11 万元: the sum of 2 items" in out
    assert "gpb[2060101].决算 (行政运行) = 194.11 万元, typed at" in out


def test_a_sentence_is_explained_figure_by_figure():
    out = explain("--text", "下降 15.8%").output
    assert out.startswith("“与 2022 年度相比，收、支总计各减少 70.48 万元，下降 15.8%。”")  # the matched sentence only
    assert "15.8%  ← {abs(收支变动率)}" in out and "70.48  ← {abs(收支变动)}" in out
    first = out.split("\n“")[0]  # the first paragraph's block
    assert "376.72  ←" not in first  # a figure of the paragraph's other sentence
    assert "  15.8% = |(376.72 − 447.20) / 447.20|, over the prior year" in out


def test_a_sentence_by_section_and_position():
    out = explain("--section", "收入支出决算总体情况说明", "--position", "1").output
    assert out.startswith("“2023 年度收、支总计均为")


def test_unknown_figure_and_bad_usage():
    result = explain("收支总记")
    assert result.exit_code == 1 and "RD101" in result.output and "收支总计" in result.output
    assert explain().exit_code == 2
    assert explain("--text", "没有这句话").exit_code == 1


def test_a_sum_over_children_lists_the_items_and_explains_each_members_measure(tmp_path):
    report = tmp_path / "r.rpt"
    report.write_text('report "示例" year 2024 unit 万元\n'
                      'items t (m) { 201 "甲" { 20101 "乙" (1.00) } }\n'
                      'let s = sum(x.m for x in t.children)\n', encoding="utf-8")
    out = CliRunner().invoke(main, ["explain", str(report), "s", "--full"]).output
    assert "t.children = a list of 1 item: 201 甲" in out
    assert "t[201].m (甲) = 1.00 万元: the sum of 1 item" in out
    assert "t[20101].m (乙) = 1.00 万元, typed at" in out
    assert "NodeValue" not in out and "no value" not in out


def test_the_answer_comes_first_in_one_line_then_the_inputs_one_level_down():
    lines = explain("收支变动率").output.splitlines()
    assert lines[0] == "收支变动率: -15.8% = (376.72 − 447.20) / 447.20, over the prior year"
    assert lines[1:] == ["  收支总计: 376.72 万元 = 收入总计",
                         f"  上年收支总计: 447.20 万元 = 收支总计@上年"]


def test_depth_follows_the_chain_further_and_names_the_line_each_typed_figure_comes_from():
    out = explain("收支变动率", "--depth", "2").output
    assert f"    收支总计@上年: 447.20 万元, typed at hongshan_2023.rpt:{line_of('fact 收支总计@上年')}" in out


def test_a_prior_year_figure_names_the_report_it_comes_from(tmp_path):
    for name in ("hongshan_2022.rpt", "hongshan_2023.rpt"):
        (tmp_path / name).write_text((ROOT / "reports" / name).read_text(encoding="utf-8"), encoding="utf-8")
    out = CliRunner().invoke(main, ["explain", str(tmp_path / "hongshan_2023.rpt"), "本年收入合计@上年"]).output
    assert out.startswith("本年收入合计@上年: 447.20 万元, last year's 本年收入合计 from hongshan_2022.rpt")


def test_no_internal_names_in_a_sentence_explained():
    out = explain("--text", "本年度无上级补助收入").output
    assert ".name" not in out and "no value" not in out and "NodeValue" not in out


def test_depth_follows_a_prior_year_figure_into_last_years_report(tmp_path):
    new = make_2023_and_2024(tmp_path)
    out = CliRunner().invoke(main, ["explain", str(new), "收支变动率", "--depth", "4"]).output.splitlines()
    at = next(i for i, line in enumerate(out) if line.strip().startswith("收支总计@上年: 376.72 万元, last year's 收支总计"))
    below = out[at + 1:at + 3]
    assert below[0] == " " * 6 + "收支总计: 376.72 万元 = 收入总计"  # how hongshan_2023.rpt made it
    assert below[1].startswith(" " * 8 + "收入总计: 376.72 万元 = 376.72 + 0.00 + 0.00")
    assert not any(str(tmp_path) in line for line in out)
