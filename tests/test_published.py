"""The sample document's published errors: the fixture states them, the compiler catches each.

tests/fixtures/hongshan_2023_published.rpt is reports/hongshan_2023.rpt with the figures stated as
published (items 1-7 below), the layout's sentences that published them restated as published
(tests/fixtures/make_published.py); every one must come out as its own diagnostic, at its own line,
in the fixture and not in the layout.
The clean report must compile with no error and only the warning of the genuine inconsistency of
the source (item 5: project self-evaluations 134.63 against project spending 120.00).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportdsl.compiler import Links, compile_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "hongshan_2023_published.rpt"
REPORT = ROOT / "reports" / "hongshan_2023.rpt"

# (code, line, column, text that must start at that line and column)
PUBLISHED = [
    # 1. "下降 18.7%" at the six places: the current year as base (RD304)
    ("RD304", 173, 1, "check abs(收支变动率) == 18.7%"),
    ("RD304", 174, 1, "check abs(收入变动率) == 18.7%"),
    ("RD304", 175, 1, "check abs(支出变动率) == 18.7%"),
    ("RD304", 176, 1, "check abs(财政拨款变动率) == 18.7%"),
    ("RD304", 177, 1, "check abs(一般公共预算收入变动率) == 18.7%"),
    ("RD304", 178, 1, "check abs(一般公共预算支出变动率) == 18.7%"),
    # 3. the blanks: "公务用车保有量 辆" and "支出决算为 万元" (RD401), each once where the ? is typed,
    # the sentence it would leave blank as a note (test_a_blank_is_shown_where_it_is_typed_with_the_sentence)
    ("RD401", 191, 1, "fact 公务用车保有量 = ? 辆"),
    ("RD401", 192, 1, "fact 因公出国决算   = ?"),
    # 4. "完成全年预算的 0%" over zero budgets (RD201) ...
    ("RD201", 199, 19, "{rate(三公[出国].决算, 三公[出国].全年预算):%g}"),
    ("RD201", 203, 19, "{rate(三公[车].决算, 三公[车].全年预算):%g}"),
    ("RD201", 206, 21, "{rate(三公[购置].决算, 三公[购置].全年预算):%g}"),
    ("RD201", 210, 21, "{rate(三公[运行].决算, 三公[运行].全年预算):%g}"),
    ("RD201", 215, 19, "{rate(三公[接待].决算, 三公[接待].全年预算):%g}"),
    # ... and "比全年预算增加 0 万元" (RD402)
    ("RD402", 200, 19, "{出国预算差}"),
    ("RD402", 207, 21, "{购置预算差}"),
    ("RD402", 211, 21, "{运行预算差}"),
    ("RD402", 216, 19, "{接待预算差}"),
    # 2. 小微企业 77.3 inside 中小企业 0 (RD305)
    ("RD305", 242, 1, "fact 小微企业合同金额 = 77.3 within 中小企业合同金额"),
    # 5. project self-evaluations 110.59 + 24.04 against project spending 120.00 (RD302)
    ("RD302", 280, 1, "check 自评项目资金合计 == gpb.项目"),
    # 6. "预算执行率为 100%" for 376.72 / 376.99 = 99.93% (RD306)
    ("RD306", 285, 46, "{执行率:%.0}"),
    # 7. amounts printed without the tables' two decimals: "0 万元" (三公), "资金 120 万元" (RD416, a warning)
    ("RD416", 198, 25, "{三公[出国].全年预算:g}"),
    ("RD416", 202, 27, "{三公[车].决算:g}"),
    ("RD416", 205, 21, "{三公[购置].决算:g}"),
    ("RD416", 209, 21, "{三公[运行].决算:g}"),
    ("RD416", 214, 22, "{三公[接待].决算:g}"),
    ("RD416", 217, 24, "{三公[外宾].决算:g}"),
    ("RD416", 219, 26, "{三公[国内].决算:g}"),
    ("RD416", 278, 1, "let 自评资金         = gpb.项目 as g"),
]


@pytest.fixture(scope="module")
def published():
    # the fixture names last year's report in reports/, outside its own folder: allowed as a user would
    return compile_file(str(FIXTURE), Links.default(str(FIXTURE), (str(REPORT.parent),)))


@pytest.fixture(scope="module")
def clean():
    return compile_file(str(REPORT))


def test_published_errors_are_exactly_the_expected_ones(published):
    found = {(d.code, d.span.line, d.span.column) for d in published.diagnostics}
    assert found == {(code, line, column) for code, line, column, _ in PUBLISHED}


def test_published_errors_are_errors_and_each_reported_once(published):
    assert len(published.diagnostics) == len(PUBLISHED)
    assert all(d.is_error for d in published.diagnostics if d.code != "RD416")  # a figure's decimals: a warning
    assert all(d.span.path == published.source.path for d in published.diagnostics)


@pytest.mark.parametrize("code, line, column, text", PUBLISHED, ids=[f"{c}@{l}" for c, l, _, _ in PUBLISHED])
def test_each_diagnostic_points_at_the_published_figure(published, code, line, column, text):
    assert published.source.line_text(line)[column - 1:].startswith(text)


def test_a_blank_is_shown_where_it_is_typed_with_the_sentence_it_leaves_blank(published):
    notes = {published.source.line_text(d.span.line).split("=")[0].strip(): d.related[0][0]
             for d in published.diagnostics if d.code == "RD401"}
    assert (notes["fact 公务用车保有量"].line, notes["fact 公务用车保有量"].column) == (212, 28)
    assert (notes["fact 因公出国决算"].line, notes["fact 因公出国决算"].column) == (198, 50)


def test_wrong_base_help_gives_the_prior_year_rate(published):
    for diagnostic in published.diagnostics:
        if diagnostic.code == "RD304":
            assert any("15.76%" in help for help in diagnostic.help)
            assert any("18.71%" in help for help in diagnostic.help)


def test_clean_report_has_no_error(clean):
    assert not clean.has_errors, [(d.code, d.span.line, d.message) for d in clean.diagnostics if d.is_error]
    assert clean.document is not None


def test_clean_report_warns_only_about_the_self_evaluation(clean):
    warnings = [d for d in clean.diagnostics if not d.is_error]
    assert [d.code for d in warnings] == ["RD302"]
    assert "自评项目资金合计" in clean.source.line_text(warnings[0].span.line)


def test_clean_report_publishes_the_corrected_figures(clean):
    text = "\n".join(clean.document.paragraphs())
    assert "下降 15.8%" in text and "18.7%" not in text
    assert "授予中小企业合同金额 77.30 万元，占政府采购支出总额的 100.0%" in text
    assert "支出决算为 0.00 万元" in text and "公务用车保有量 0 辆" in text
    assert "完成全年预算的 0%" not in text and "增加 0 万元" not in text
    assert "预算执行率为 99.93%" in text and "执行率 99.93%" in text
    assert "年初预算为 296.51 万元" in text
    assert "【?】" not in text
