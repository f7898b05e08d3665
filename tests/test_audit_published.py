"""The audit of a real published disclosure: the Putuo social-work PDF gives the findings that
reports/putuo_social_work_2024.rpt documents (its `published:` comments), each at its page, and
nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportdsl.audit import audit_file

ROOT = Path(__file__).resolve().parents[1]


def reference(name: str):
    """The shared reference documents beside the checkout (../shared or ../../shared)."""
    for folder in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if (folder / "reference" / name).exists():
            return folder / "reference" / name
    return None


PUTUO_PDF = reference("putuo_social_work_dept_2024.pdf")

# (code, page, words of the message or of the place): the twelve problems the .rpt documents (its
# `published:` comments), in the document's terms, each at the page that prints it.
DOCUMENTED = [
    ("RD301", 13, "商品和服务支出"),  # 表六：302 printed 10.23, its rows add to 10.22
    ("RD302", 12, "基本支出应等于人员经费与公用经费之和"),  # 六、表六：公用经费 10.23; 105.58 ≠ 95.36 + 10.23
    ("RD545", 20, "邮电费"),  # 六 names 邮电费 among the main items; 表六 gives 0.00
    ("RD308", 17, "收入支出总计增加 307.82 万元，增长"),  # 一：增长 100.00% over a 2023 total of 0
    ("RD308", 17, "财政拨款收入支出总计增加"),  # 四：the same
    ("RD308", 18, "一般公共预算财政拨款支出增加"),  # 五（一）：the same, printed atop p. 18 (its paragraph begins on p. 17)
    ("RD308", 18, "占 9.55%"),  # 五（二）：29.42 / 307.82 = 9.5575%
    ("RD308", 21, "增长 100.00%"),  # 十一（一）：机关运行经费 增长 100.00% over 0
    ("RD305", 21, "机关运行经费"),  # 十一（一）：10.23, part of 公用经费, whose rows add to 10.22
    ("RD303", 22, "中小企业"),  # 十一（二）：21.07 + 21.07 against contracts of 21.07
    ("RD547", 20, "住房公积金"),  # 五（三）8：住房公积金 given 事业单位医疗's purpose
    ("RD308", 18, "完成年初预算的 95.89%"),  # 五（三）：a completion rate over a 年初预算 of 0
]


def matches(finding, expected) -> bool:
    code, page, words = expected
    place = finding.place
    text = " ".join(filter(None, [finding.message, place and place.row, place and place.sentence]))
    return finding.code == code and (page is None or (place is not None and place.page == page)) and words in text


@pytest.fixture(scope="module")
def audit():
    if PUTUO_PDF is None:
        pytest.skip("the reference documents are not beside this checkout")
    return audit_file(str(PUTUO_PDF), "shanghai-2024")


def test_the_putuo_pdf_gives_exactly_its_documented_findings_each_at_its_page(audit):
    unexpected = [(f.code, f.place and f.place.page, f.message) for f in audit.findings
                  if not any(matches(f, e) for e in DOCUMENTED)]
    missing = [e for e in DOCUMENTED if not any(matches(f, e) for f in audit.findings)]
    assert (unexpected, missing) == ([], [])
    assert len(audit.findings) == len(DOCUMENTED)


def test_the_completion_rate_over_a_zero_initial_budget_is_found_at_its_sentence(audit):
    (rate,) = [f for f in audit.findings if f.code == "RD308" and "95.89%" in f.message]
    assert rate.place.page == 18 and "完成年初预算的 95.89%" in rate.place.sentence
    assert "年初预算" in rate.message and "division by zero" in rate.message


def test_a_parent_that_does_not_add_up_is_found_at_its_cell_with_both_figures(audit):
    (parent,) = [f for f in audit.findings if f.code == "RD301"]
    assert (parent.place.table, parent.place.row, parent.place.column) == \
        ("一般公共预算财政拨款基本支出决算表", "302 商品和服务支出", "决算数")
    assert parent.printed == "10.23 万元" and parent.expected == "10.22 万元"


def test_a_part_larger_than_its_whole_as_its_rows_add_up_is_marked_in_its_sentence(audit):
    (part,) = [f for f in audit.findings if f.code == "RD305"]
    assert part.place.section == "（一）机关运行经费支出情况" and part.printed == "10.23 万元"
    assert part.expected == "at most 10.22 万元"
    start, end = part.place.span
    assert part.place.sentence[start:end] == "10.23 万元"


def test_a_purpose_copied_from_another_item_is_marked_in_its_sentence(audit):
    (copied,) = [f for f in audit.findings if f.code == "RD547"]
    start, end = copied.place.span
    assert copied.place.sentence[start:end] == "事业单位医疗保险支出"
    assert any(p.row == "2210201 住房公积金" for p in copied.places[1:])
