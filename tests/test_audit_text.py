"""The arithmetic a disclosure's paragraphs do with their own figures, checked without a layout: the
made-up paragraphs below are worded the way published disclosures are, unlike our layouts, and each
holds one fault (or none) a reviewer finds by recomputing a share, a rate or a completion by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reportdsl.audit import audit_file
from reportdsl.audit.prose_arithmetic import prose_arithmetic
from reportdsl.importing.pipeline import read_document

COVER = "示例区文化服务中心2024年度部门决算\n"

CORRECT = COVER + """（一）收入
2024年本年收入合计812.40万元，其中：一般公共预算财政拨款收入700.15万元，占86.18%；事业收入112.25万元，占13.82%；其他收入0万元，占0%。
（二）支出
2024年本年支出合计790.03万元，其中：基本支出512.60万元，占64.88%；项目支出277.43万元，占35.12%。
（三）财政拨款
2024年财政拨款收、支总计各是700.15，690.08万元。与2023年相比，收、支总计各增加52.15，40.08万元，各增长8.05%、6.17%。
2024年一般公共预算财政拨款支出690.08万元，占本年支出合计的87.35%，与上年相比减少9.92万元，下降1.42%。
一般公共预算财政拨款支出690.08万元，完成年初预算102.94%，决算数大于预算数19.72万元，主要原因是增加了公共文化活动。
（四）政府采购
按组织形式分：集中采购 35000 元，占政府采购支出总额的 100%；分散采购 0 元，占政府采购支出总额的 0%。
按采购类型划分，货物类采购 21000 元，占政府采购支出总额的 60%；服务类采购 14000 元，占政府采购支出总额的 40%。
（五）基本支出
基本支出512.60万元，占本年支出合计的64.88%，其中：人员经费401.20万元，占本年支出合计的50.78%。
"""

# name: (the correct words, the faulty words, the code, the figure marked)
FAULTS = {
    "share": ("占13.82%", "占13.28%", "RD549", "13.28%"),
    "listed_rate": ("各增长8.05%、6.17%", "各增长8.05%、6.16%", "RD551", "6.16%"),
    "rate": ("减少9.92万元，下降1.42%", "减少9.92万元，下降1.44%", "RD551", "1.44%"),
    "direction": ("减少9.92万元，下降1.42%", "减少9.92万元，增长1.42%", "RD551", "1.42%"),
    "completion": ("完成年初预算102.94%", "完成年初预算100%", "RD552", "100%"),
    "named_sum": ("占政府采购支出总额的 40%", "占政府采购支出总额的 45%", "RD550", "45%"),
    "blank": ("占35.12%", "占 %", "RD403", "占 %"),
}


def written(tmp_path: Path, text: str, name: str = "disclosure.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_correct_paragraphs_give_nothing_however_their_rates_are_worded(tmp_path):
    found = prose_arithmetic(read_document(written(tmp_path, CORRECT)))
    assert list(found) == [] and found.compared >= 12


@pytest.mark.parametrize("kind", sorted(FAULTS))
def test_each_fault_of_the_texts_own_arithmetic_is_found_at_its_figure_and_nothing_else(tmp_path, kind):
    old, new, code, marked = FAULTS[kind]
    assert old in CORRECT
    audit = audit_file(written(tmp_path, CORRECT.replace(old, new, 1)), "hubei")
    assert [f.code for f in audit.findings] == [code], [f.message for f in audit.findings]
    place = audit.findings[0].place
    start, end = place.span
    assert place.sentence[start:end] == marked


def test_a_share_says_what_its_amount_and_whole_give():
    (finding,) = prose_arithmetic(read_document_text("2024年本年支出合计4143.91万元，其中：基本支出1140.27万元，"
                                                     "占27.25%；项目支出3003.64万元，占72.48%。"))
    assert finding.code == "RD549" and (finding.printed, finding.expected) == ("27.25%", "27.52%")


def test_a_rate_within_what_the_rounding_of_its_amounts_allows_is_not_a_fault():
    # 0.02 / 0.33 is 6.06%, but 0.02 may be 0.015 to 0.025: 4.5% to 7.6% are all possible
    assert list(prose_arithmetic(read_document_text("事业收入0.35万元，比上年增加0.02万元，增长5.0%。"))) == []


def test_a_change_rate_over_this_years_amount_instead_of_last_years_is_found():
    (finding,) = prose_arithmetic(read_document_text("支出总计4143.91万元，与上年相比减少2570.97万元，下降62.04%。"))
    assert finding.code == "RD551" and finding.expected == "38.29%"
    assert "62.04% is what this year's 4143.91万元 as denominator gives" in finding.help[0]


def test_shares_of_one_whole_in_two_paragraphs_adding_to_more_than_100_percent_are_found():
    text = ("1.基本支出预算2476260.58元，占一般公共预算支出的84.06%。\n"
            "2.项目支出469500元，占一般公共预算支出的19.62%。\n")
    (finding,) = prose_arithmetic(read_document_text(text))
    assert finding.code == "RD550" and finding.printed == "103.68%"


def test_shares_adding_to_just_over_100_percent_within_their_rounding_are_not_a_fault():
    text = "本年收入合计3.00万元，其中：财政拨款收入1.00万元，占33.3%；事业收入1.00万元，占33.4%；其他收入1.00万元，占33.4%。"
    assert list(prose_arithmetic(read_document_text(text))) == []


def test_a_part_of_a_part_of_the_same_whole_is_not_added_to_its_breakdown():
    text = "基本支出60.00万元，占本年支出的60%，其中：人员经费50.00万元，占本年支出的50%。项目支出40.00万元，占本年支出的40%。"
    assert list(prose_arithmetic(read_document_text(text))) == []


def test_a_document_not_on_the_layout_is_audited_on_its_text_and_the_command_says_so(tmp_path):
    text = "某单位2024年度单位决算\n" + CORRECT.split("\n", 1)[1].replace("占13.82%", "占13.28%")
    path = written(tmp_path, text.replace("部门决算", "单位决算"))
    done = subprocess.run([sys.executable, "-m", "reportdsl", "audit", path, "--layout", "hubei"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "error[RD549]" in done.stdout and "the text alone checked" in done.stdout
    assert "not a disclosure on this layout" in done.stdout


def read_document_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory(prefix="audit-text-") as folder:  # called by hypothesis, many times
        return read_document(written(Path(folder), COVER + text))


# ---- the PDF read with PDFium's characters and rules gives what pdfminer's give ---------------------------


def test_a_pdf_read_with_pdfium_gives_the_same_tables_and_paragraphs_as_with_pdfminer(monkeypatch):
    from test_audit_published import PUTUO_PDF
    from reportdsl.importing import read_pdf

    if PUTUO_PDF is None:
        pytest.skip("the reference documents are not beside this checkout")
    from reportdsl.importing import pdfium_objects

    given = []
    real = pdfium_objects.page_objects
    monkeypatch.setattr(pdfium_objects, "page_objects", lambda *a: given.append(real(*a)) or given[-1])
    fast = read_document(str(PUTUO_PDF))
    assert len(given) == 24 and all(objects is not None for objects in given)  # every page read by PDFium
    monkeypatch.setattr(read_pdf, "pdfium_document", lambda path: None)
    slow = read_document(str(PUTUO_PDF))
    assert fast.tables == slow.tables and fast.paragraphs == slow.paragraphs and fast.cover == slow.cover
    assert len(fast.tables) >= 9


def test_the_sample_compiled_to_pdf_reads_the_same_with_pdfium_spaces_included(tmp_path, monkeypatch):
    """LibreOffice's PDF prints spaces that PDFium reports as generated ones (开展活动 4 场)."""
    import made_documents as made
    from reportdsl.importing import read_pdf

    if made.shutil.which("soffice") is None and made.shutil.which("libreoffice") is None:
        pytest.skip("PDF output needs LibreOffice")
    pdf = made.compile_report(str(Path(__file__).resolve().parents[1] / "reports" / "hongshan_2023.rpt"), "pdf", tmp_path)
    fast = read_document(str(pdf))
    monkeypatch.setattr(read_pdf, "pdfium_document", lambda path: None)
    slow = read_document(str(pdf))
    assert fast.tables == slow.tables and fast.paragraphs == slow.paragraphs
    assert any("开展活动 4 场" in cell for table in fast.tables for row in table.rows for cell in row)


def test_a_document_on_another_template_gives_one_warning_for_the_layouts_missing_sections(tmp_path):
    text = COVER + "一、收入支出决算总体情况说明\n2024年度收、支总计均为812.40万元。\n"
    audit = audit_file(written(tmp_path, text), "hubei")
    (finding,) = [f for f in audit.findings if f.code == "RD546"]
    assert finding.severity == "warning" and "sections are not in the document" in finding.message


SPLIT = ("（五）基本支出\n2024年一般公共预算财政拨款基本支出512.60万元，其中：人员经费401.20万元，主要包括：基本工资、"
         "津贴补贴；公用经费111.40万元，主要包括：办公费、差旅费。\n")


def test_a_standard_whole_whose_parts_in_the_text_do_not_add_up_to_it_is_found_when_no_layout_holds_it(tmp_path):
    right = audit_file(written(tmp_path, "某单位2024年度单位决算\n" + SPLIT, "right.txt"), "hubei")
    assert right.text_only and right.findings == ()
    wrong = audit_file(written(tmp_path, "某单位2024年度单位决算\n" + SPLIT.replace("111.40", "101.40"), "wrong.txt"), "hubei")
    (finding,) = wrong.findings
    assert finding.code == "RD553" and (finding.printed, finding.expected) == ("512.60万元", "502.60 万元")
    start, end = finding.place.span
    assert finding.place.sentence[start:end] == "512.60万元"
