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

# (code, page, words of the message or of the place): what the .rpt documents, in the document's terms.
FROM_THE_TABLES = [
    ("RD301", 13, "商品和服务支出"),  # 302 printed 10.23, its rows add to 10.22 (表六)
    ("RD302", 12, "基本支出应等于人员经费与公用经费之和"),  # 105.58 against 95.36 + 公用经费合计 10.23
    ("RD545", 20, "邮电费"),  # 六 names 邮电费 among the main items; 表六 gives 0.00
]
FROM_THE_PROSE = [
    ("RD308", 17, "收入支出总计增加 307.82 万元，增长"),  # 一：增长 100.00% over a 2023 total of 0
    ("RD308", 17, "财政拨款收入支出总计增加"),  # 四：the same
    ("RD308", 17, "一般公共预算财政拨款支出增加"),  # 五（一）：the same
    ("RD308", 18, "占 9.55%"),  # 五（二）：29.42 / 307.82 = 9.5575%
    ("RD308", 18, "完成年初预算的 95.89%"),  # 五（三）：a completion of a 年初预算 of 0 (95.89% is of the 全年预算)
    ("RD308", 21, "机关运行经费支出 10.23 万元"),  # 十一（一）：增长 100.00% over 0
    ("RD303", None, "中小企业"),  # 十一（二）：21.07 + 21.07 against contracts of 21.07
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


def test_every_finding_in_the_putuo_pdf_is_one_its_report_documents(audit):
    documented = FROM_THE_TABLES + FROM_THE_PROSE
    unexpected = [(f.code, f.place and f.place.page, f.message) for f in audit.findings
                  if not any(matches(f, e) for e in documented)]
    assert unexpected == []


def test_the_table_faults_of_the_putuo_pdf_are_found_at_their_pages(audit):
    missing = [e for e in FROM_THE_TABLES if not any(matches(f, e) for f in audit.findings)]
    assert missing == []
    (parent,) = [f for f in audit.findings if f.code == "RD301"]
    assert (parent.place.table, parent.place.row, parent.place.column) == \
        ("一般公共预算财政拨款基本支出决算表", "302 商品和服务支出", "决算数")
    assert parent.printed == "10.23 万元" and parent.expected == "10.22 万元"


def test_the_prose_faults_of_the_putuo_pdf_are_found_once_its_sentences_are_read(audit):
    if audit.sentences_matched == 0:
        pytest.skip("the importer does not read this document's prose yet")
    missing = [e for e in FROM_THE_PROSE if not any(matches(f, e) for f in audit.findings)]
    assert missing == []
