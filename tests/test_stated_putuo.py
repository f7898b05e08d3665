"""The published Shanghai social-work disclosure, fully stated (tests/fixtures/putuo_social_work_2024_stated.rpt,
made by tests/fixtures/make_putuo_stated.py from reports/putuo_social_work_2024.rpt and the PDF's pages).

Its findings are the known faults of the published document, each at the place it was printed, and
nothing else: every other figure, text and blank cell of the nine tables and the narrative agrees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportdsl.compiler import compile_file

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "putuo_social_work_2024_stated.rpt"

# (code, the stated entry's start, the place and figures its message gives)
FINDINGS = [
    # 表六 (p. 13): 302 and 公用经费合计 printed 10.23, while 302's rows add to 10.22 (and 基本支出 105.58
    # is 95.36 + 10.22): a one-cent gap in the tables
    ("RD308", "经济[302].决算", "p. 13, 一般公共预算财政拨款基本支出决算表, row 302 商品和服务支出, column 决算数: 10.23; "
                              "the report gives 10.22 万元"),
    ("RD308", "公用经费 ", "p. 13, 一般公共预算财政拨款基本支出决算表, row 公用经费合计, column 决算数: 10.23"),
    # ... and in the narrative: 六 公用经费, 十一（一） 机关运行经费 and its increase
    ("RD308", "公用经费 ", "p. 20, 六、一般公共预算财政拨款基本支出决算情况说明, “公用经费 10.23 万元”: 10.23"),
    ("RD308", "机关运行经费 ", "p. 21, （一）机关运行经费支出情况, “机关运行经费支出 10.23 万元”: 10.23"),
    ("RD308", "机关运行经费变动 ", "p. 21, （一）机关运行经费支出情况, “比 2023 年度增加 10.23 万元”: 10.23"),
    # "增长 100.00%" over a 2023 figure of 0 (a new unit): a change over a zero base has no value
    ("RD308", "abs(收支变动率)", "p. 17, 一、收入支出决算总体情况说明, “增长 100.00%”: 100.00%; the report gives no figure"),
    ("RD308", "abs(财政拨款变动率)", "p. 17, 四、财政拨款收入支出决算总体情况说明, “增长 100.00%”"),
    ("RD308", "abs(一般公共预算支出变动率)", "p. 18, （一）一般公共预算财政拨款支出决算总体情况, “增长 100.00%”"),
    ("RD308", "abs(机关运行经费变动率)", "p. 21, （一）机关运行经费支出情况, “增长 100.00%”"),
    # 29.42 / 307.82 = 9.5575…%, which rounds half-up to 9.56%, printed 9.55%
    ("RD308", "share((gpb[221]", "p. 18, （二）一般公共预算财政拨款支出决算结构情况, “占 9.55%”: 9.55%; the report gives 9.5575…%"),
    # "完成年初预算的 95.89%" with a 年初预算 of 0 (95.89% is the completion of the 全年预算)
    ("RD308", "rate(一般公共预算财政拨款支出, 一般公共预算财政拨款支出@年初预算)",
     "p. 18, （三）一般公共预算财政拨款支出决算具体情况, “完成年初预算的 95.89%”: 95.89%; the report gives no figure"),
    # 六 names 邮电费 among the main items of 公用经费, while table 6 prints 邮电费 0.00 (a list, not a figure)
    ("RD303", "check 经济[30207].决算 > 0 warning", "六：公用经费所列主要项目含邮电费"),
]
# The layout's own check: 21.07 awarded in reserved projects and 21.07 in the others, of 21.07 in all;
# shown at the report's first input of it, the layout's line as a note
LAYOUT_FINDING = ("RD303", "fact 预留项目中小企业中标金额", "shanghai-2024.rpt",
                  "十一（二）：预留项目与其他项目中由中小企业中标、成交的金额之和不应超过政府采购金额")


@pytest.fixture(scope="module")
def result():
    return compile_file(str(FIXTURE))


def test_the_fixture_is_made_from_the_report_and_is_formatted():
    import subprocess
    import sys

    before = FIXTURE.read_text(encoding="utf-8")
    subprocess.run([sys.executable, str(ROOT / "tests" / "fixtures" / "make_putuo_stated.py")], check=True,
                   capture_output=True, cwd=ROOT)
    assert FIXTURE.read_text(encoding="utf-8") == before, "run: python tests/fixtures/make_putuo_stated.py"


def test_every_figure_of_the_document_is_stated_with_its_page(result):
    stated = result.evaluator.stated
    entries = [entry for block in stated for entry in block.entries]
    assert len(entries) > 550
    assert {block.page for block in stated} == {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22}
    assert all(entry.row or entry.column or entry.sentence for entry in entries)


def test_the_findings_are_exactly_the_faults_of_the_published_document(result):
    assert all(d.span.path == result.source.path for d in result.diagnostics)
    [layout] = [d for d in result.diagnostics if d.message == LAYOUT_FINDING[-1]]
    assert (layout.code, result.source.line_text(layout.span.line).strip().split(" =")[0],
            Path(layout.related[0][0].path).name, layout.message) == LAYOUT_FINDING
    ours = [d for d in result.diagnostics if d is not layout]
    assert len(ours) == len(FINDINGS), [d.message for d in ours]
    unmatched = list(ours)
    for code, start, fragment in FINDINGS:
        match = next(d for d in unmatched if d.code == code and fragment in d.message
                     and result.source.line_text(d.span.line).strip().startswith(start))
        unmatched.remove(match)


def test_each_one_cent_finding_says_the_exact_rule(result):
    one_cent = [d for d in result.diagnostics if "10.22" in d.message]
    assert len(one_cent) == 5
    assert all(d.help[1].startswith("rule: rounds to") and "10.22 万元" in d.help[1] and "differs by -0.01 万元" in d.help[1]
               for d in one_cent), [d.help for d in one_cent]
