"""`reportdsl next-year`: next year's report from this year's, with what must be filled and reviewed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportdsl.compiler import compile_file
from reportdsl.fmt_command import formatted
from reportdsl.source import SourceFile

REPORTS = Path(__file__).resolve().parents[1] / "reports"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "reportdsl", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def rolled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("year")
    for name in ("hongshan_2022.rpt", "hongshan_2023.rpt"):
        shutil.copy(REPORTS / name, folder / name)
    done = run("next-year", "hongshan_2023.rpt", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder, (folder / "hongshan_2024.rpt").read_text(encoding="utf-8")


def test_the_new_report_is_for_the_next_year_and_names_this_one_as_its_prior(rolled):
    _, text = rolled
    assert 'year 2024 unit 万元 layout hubei prior "hongshan_2023.rpt"' in text


def test_every_typed_figure_becomes_a_placeholder_with_last_years_value_beside_it(rolled):
    _, text = rolled
    assert re.search(r"fact 在职人数 += \? 人 +# 2023: 6 人\n", text)
    assert re.search(r'2060101 "行政运行" +\(\?, \?, \?, -\) reason \?\n.*# 2023: \(169\.84, 194\.11, 194\.11, -\); '
                     r'2023 reason: 新增人员', text)
    assert re.search(r"fact 参公人数 += \? 人 within 事业人数 +# 2023: 0 人 · 参照公务员法管理", text)
    assert "194.11, 194.11,      -)" not in text and "(376.72)" not in text.split("# 2023")[0]


def test_reasons_are_emptied_to_be_written_and_kept_only_in_a_comment(rolled):
    _, text = rolled
    assert 'reason "' not in text and text.count("reason ?") == 13
    assert re.search(r'fact 收支变动原因 += \? +# 2023: "本年开展项目减少，预算收入减少"', text)


def test_a_prior_year_figure_typed_last_year_is_left_to_the_prior_report(rolled):
    _, text = rolled
    assert "fact 收支总计@上年" not in text
    assert "# 收支总计@上年 now comes from the prior-year report" in text


def test_year_specific_prose_and_checks_are_marked_for_review_and_standing_prose_is_not(rolled):
    _, text = rolled
    marked = [text.splitlines()[i + 1].strip() for i, line in enumerate(text.splitlines()) if "# review:" in line]
    assert any("9 月 13 日" in line for line in marked)
    assert any(line.startswith("check gpb.年初预算 == 296.5") for line in marked)
    assert not any("开展学术交流" in line for line in marked)  # 主要职责: standing prose
    assert "开展学术交流，活跃学术思想" in text


def test_the_new_report_is_formatted(rolled):
    folder, text = rolled
    assert formatted(SourceFile(str(folder / "hongshan_2024.rpt"), text)) == text


def test_check_lists_each_input_to_fill_and_each_text_to_review_and_nothing_else(rolled):
    folder, text = rolled
    result = compile_file(str(folder / "hongshan_2024.rpt"))
    found = {d.code for d in result.diagnostics}
    assert found == {"RD401", "RD410"}
    reviews = [d for d in result.diagnostics if d.code == "RD410"]
    assert len(reviews) == text.count("# review:")
    declared = {d.span.line for d in result.diagnostics if d.code == "RD401" and d.span.path.endswith("hongshan_2024.rpt")}
    placeholder_lines = {n for n, line in enumerate(text.splitlines(), 1) if re.search(r"[(=,] *\?", line.split("#")[0])}
    assert placeholder_lines <= declared | {d.related[0][0].line for d in result.diagnostics if d.related}


def test_next_year_never_overwrites_a_report(rolled):
    folder, _ = rolled
    again = run("next-year", "hongshan_2023.rpt", cwd=folder)
    assert again.returncode == 2 and "exists" in again.stderr


def test_a_file_whose_name_has_no_year_needs_an_output_name(tmp_path):
    (tmp_path / "x.rpt").write_text('report "示例" year 2023 unit 万元\nfact a = 1\n', encoding="utf-8")
    assert run("next-year", "x.rpt", cwd=tmp_path).returncode == 2
    done = run("next-year", "x.rpt", "-o", "next/y.rpt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "next" / "y.rpt").read_text(encoding="utf-8").startswith(
        'report "示例" year 2024 unit 万元 prior "../x.rpt"\nfact a = ?  # 2023: 1\n')


def test_check_ends_with_what_is_left_to_fill_grouped_by_the_section_that_prints_it(rolled):
    folder, text = rolled
    done = run("check", "hongshan_2024.rpt", cwd=folder)
    summary = done.stdout[done.stdout.index("to fill in hongshan_2024.rpt:"):]
    groups = re.findall(r"^  (\S.*) \((\d+)\)$", summary, re.M)
    entries = re.findall(r"(?:^      |, )([^,\n]+?) (\d+)(?=,|$)", summary, re.M)
    reported = len(re.findall(r"^hongshan_2024\.rpt:\d+:\d+: error\[RD4(?:01|10)\]", done.stdout, re.M))
    assert sum(int(count) for _, count in groups) == len(entries) == reported
    titles = [title for title, _ in groups]
    where = "第三部分 › （三）财政拨款支出决算具体情况。"  # the sentences that print each 项's reason
    assert titles.index("第一部分 › 二、机构设置情况") < titles.index(where)
    section = summary.split(where)[1].split("\n  第")[0].replace("\n      ", " ")
    assert "行政运行 年初预算 87, 行政运行 reason 87" in section  # the reason is asked for at once
    assert titles[-1].startswith("not printed") and "review “check gpb.年初预算" in summary.split(titles[-1])[1]


def test_every_reason_of_last_year_is_asked_for_before_any_figure_is_filled(rolled):
    folder, text = rolled
    result = compile_file(str(folder / "hongshan_2024.rpt"))
    unwritten = [d for d in result.diagnostics if d.code == "RD401" and "reason of" in d.message]
    assert len(unwritten) == text.count("reason ?") == 13
    assert all("delete `reason ?`" in d.help[0] for d in unwritten)


def test_a_shanghai_report_rolled_forward_also_lists_only_what_to_fill_and_review(tmp_path):
    shutil.copy(REPORTS / "putuo_social_work_2024.rpt", tmp_path / "putuo_social_work_2024.rpt")
    assert run("next-year", "putuo_social_work_2024.rpt", cwd=tmp_path).returncode == 0
    text = (tmp_path / "putuo_social_work_2025.rpt").read_text(encoding="utf-8")
    result = compile_file(str(tmp_path / "putuo_social_work_2025.rpt"))
    assert {d.code for d in result.diagnostics} == {"RD401", "RD410"}
    assert len([d for d in result.diagnostics if d.code == "RD410"]) == text.count("# review:")
    # the layout reads an open input as 0 (`收入.决算 ?? 0`): a check on it waits under the input's RD401
    folded = [note for d in result.diagnostics if d.code == "RD401" for _, note in d.related if "follows from this" in note]
    assert any("RD302] 表一：本年收入合计 307.82" in note for note in folded)
