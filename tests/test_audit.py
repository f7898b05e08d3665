"""reportdsl audit: documents made from our own reports, each with one printed figure changed, are
audited; each change is found at its place and nothing else is; the correct documents give nothing."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import made_documents as made
from reportdsl.audit import audit_file
from reportdsl.audit.report import audits_csv, audits_json

ROOT = Path(__file__).resolve().parents[1]
HONGSHAN = str(ROOT / "reports" / "hongshan_2023.rpt")
PUTUO = str(ROOT / "reports" / "putuo_social_work_2024.rpt")
SOURCES = {"hongshan": HONGSHAN, "putuo": PUTUO}

# One change per kind: (name, table title, row, printed, changed to)
TABLE_CHANGES = {
    "total": ("支出决算表", "合计", "256.72", "256.82"),
    "parent": ("一般公共预算财政拨款支出决算表", "20601", "314.11", "341.11"),
    "twice": ("收入支出决算总表", "社会保障和就业支出", "24.99", "24.90"),
}


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The reports compiled to Word once, the changed copies, and PDFs of some (one LibreOffice run)."""
    folder = tmp_path_factory.mktemp("made")
    hongshan = made.compile_report(HONGSHAN, "docx", folder)
    putuo = made.compile_report(PUTUO, "docx", folder)
    found = {"hongshan": hongshan, "putuo": putuo, "spent_abroad": spent_abroad(folder)}
    for name, (title, row, old, new) in TABLE_CHANGES.items():
        found[name] = folder / f"{name}.docx"
        made.change_cell(hongshan, found[name], title, row, old, new)
    return found


def spent_abroad(folder: Path) -> Path:
    """The sample with 5.00 budgeted for trips abroad and 3.00 spent: its sentence says 比全年预算减少 2 万元."""
    variant = folder / "abroad"
    variant.mkdir()
    text = Path(HONGSHAN).read_text(encoding="utf-8")
    text = text.replace('出国 "因公出国（境）费"     (0, 0) reason "没有因公出国(境)事项"',
                        '出国 "因公出国（境）费"     (5.00, 3.00) reason "压缩出访计划"')
    text = text.replace('fact 三公经费原因 = "本单位业务运行不依托“三公”经费"', 'fact 三公经费原因 = "本年有出访任务"')
    (variant / "hongshan_2023.rpt").write_text(text, encoding="utf-8")
    (variant / "hongshan_2022.rpt").write_bytes((ROOT / "reports" / "hongshan_2022.rpt").read_bytes())
    return made.compile_report(str(variant / "hongshan_2023.rpt"), "docx", variant)


def involves(finding, row: str, figure: str) -> bool:
    """A finding is about a change when the changed figure is the one printed or given, or the
    changed row is among the places it names."""
    figures = {(finding.printed or "").split(" ")[0], (finding.expected or "").split(" ")[0]}
    return figure in figures or any(place.row and row in place.row.split() for place in finding.places)


def test_a_correct_word_document_gives_no_finding(documents):
    audit = audit_file(str(documents["hongshan"]), "hubei")
    assert audit.failed is None
    assert audit.findings == ()
    assert audit.compared > 50
    assert audit_file(str(documents["spent_abroad"]), "hubei").findings == ()


LEVEL = ("比全年预算减少2.00万元", "与全年预算持平")


def test_a_sentence_saying_level_where_its_figures_differ_is_found_at_the_word(documents, tmp_path):
    changed = tmp_path / "level.docx"
    made.change_words(documents["spent_abroad"], changed, *LEVEL)
    (finding,) = audit_file(str(changed), "hubei").findings
    assert finding.code == "RD548" and finding.expected == "出国预算差 = -2.00 万元"
    start, end = finding.place.span
    assert finding.place.sentence[start:end] == "持平" and "因公出国" in finding.place.sentence


@pytest.mark.parametrize("kind", sorted(TABLE_CHANGES))
def test_each_changed_table_figure_is_found_at_its_cell_and_nothing_else(documents, kind):
    title, row, old, new = TABLE_CHANGES[kind]
    audit = audit_file(str(documents[kind]), "hubei")
    assert audit.findings, f"the change {old} -> {new} in {title} row {row} was not found"
    assert all(involves(f, row, new) for f in audit.findings), [f.message for f in audit.findings]
    first = audit.findings[0].place
    assert first is not None and first.table is not None


def test_a_table_total_that_does_not_equal_its_rows_names_the_printed_and_the_derived_figure(documents):
    audit = audit_file(str(documents["total"]), "hubei")
    (finding,) = audit.findings
    assert (finding.place.table, finding.place.row, finding.place.column) == ("支出决算表", "合计", "基本支出")
    assert finding.printed == "256.82" and finding.expected.startswith("256.72")
    assert finding.explain and finding.rpt_text.startswith("基本支出")


def test_a_parent_that_does_not_equal_its_children_is_found_at_both_rows(documents):
    audit = audit_file(str(documents["parent"]), "hubei")
    rows = {f.place.row for f in audit.findings}
    assert rows == {"206 科学技术支出", "20601 科学技术管理事务"}
    assert {f.code for f in audit.findings} == {"RD301"}


def test_the_kept_report_is_written_and_a_judged_comment_silences_its_finding(documents, tmp_path):
    keep = tmp_path / "kept"
    audit = audit_file(str(documents["twice"]), "hubei", str(keep))
    kept = Path(audit.kept)
    assert kept.is_file() and len(audit.findings) == 1
    line = audit.findings[0].rpt_text
    text = kept.read_text(encoding="utf-8").replace(line, line + "  # judged: a typing slip, corrected online")
    kept.write_text(text, encoding="utf-8")
    again = audit_file(str(documents["twice"]), "hubei", str(keep))
    assert again.findings == () and len(again.judged) == 1
    assert "# judged: a typing slip" in kept.read_text(encoding="utf-8")


def test_a_judgement_by_code_and_words_silences_a_finding_without_a_line_of_its_own(documents, tmp_path):
    keep = tmp_path / "kept"
    audit = audit_file(str(documents["parent"]), "hubei", str(keep))
    kept = Path(audit.kept)
    kept.write_text(kept.read_text(encoding="utf-8") + "# judged RD301: '科学技术管理事务'\n", encoding="utf-8")
    again = audit_file(str(documents["parent"]), "hubei", str(keep))
    assert [f.place.row for f in again.findings] == ["206 科学技术支出"]


def test_a_file_that_is_not_a_disclosure_on_the_layout_has_its_text_alone_checked_and_says_why(tmp_path):
    report = made.compile_report(str(ROOT / "reports" / "hongshan_2022.rpt"), "docx", tmp_path)
    audit = audit_file(str(report), "hubei")
    assert audit.failed is None and audit.text_only and "not a disclosure" in audit.text_only
    assert audit.findings == ()


# ---- the command and its outputs --------------------------------------------------------------------------


def run_audit(*arguments, cwd=None):
    return subprocess.run([sys.executable, "-m", "reportdsl", "audit", *arguments], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_the_command_prints_each_finding_at_its_place_and_exits_1(documents):
    done = run_audit(str(documents["twice"]), "--layout", "hubei")
    assert done.returncode == 1
    assert "收入支出决算总表, row 社会保障和就业支出, column 支出 决算数: error[RD308]" in done.stdout
    assert "= printed: 24.90; the document's own data give: 24.99 万元" in done.stdout
    assert "1 error(s), 0 warning(s)" in done.stdout


def test_json_findings_follow_the_published_schema(documents):
    jsonschema = pytest.importorskip("jsonschema")
    done = run_audit(str(documents["total"]), str(documents["hongshan"]), "--layout", "hubei", "--format", "json")
    data = json.loads(done.stdout)
    schema = json.loads((ROOT / "docs" / "audit.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    by_file = {Path(d["file"]).name: d for d in data["documents"]}
    assert by_file["hongshan_2023.docx"]["findings"] == []
    (finding,) = by_file["total.docx"]["findings"]
    assert finding["where"]["row"] == "合计" and finding["printed"] == "256.82"


def test_a_folder_is_audited_in_two_workers_with_a_line_per_document_and_a_csv_of_all_findings(documents, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("hongshan", "total", "parent"):
        (folder / documents[name].name).write_bytes(documents[name].read_bytes())
    table = tmp_path / "findings.csv"
    done = run_audit(str(folder), "--layout", "hubei", "-j", "2", "--csv", str(table))
    lines = [line for line in done.stdout.splitlines() if line]
    assert len(lines) == 3 and all(": " in line and "error(s)" in line for line in lines)
    assert "3 document(s): 1 clean, 0 with warnings, 2 with errors, 0 not audited; 3 finding(s)" in done.stderr
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert {Path(r["file"]).name for r in rows} == {"total.docx", "parent.docx"}
    assert {r["row"] for r in rows} >= {"合计", "20601 科学技术管理事务"}


def chromium_screenshot(page: Path, fragment: str, folder: Path) -> subprocess.CompletedProcess:
    shot = folder / "shot.png"
    return subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--no-first-run", f"--user-data-dir={folder / 'profile'}",
                           "--enable-logging=stderr", "--v=0", "--window-size=1280,900", f"--screenshot={shot}",
                           page.as_uri() + fragment], capture_output=True, text=True, timeout=120)


def test_the_html_page_shows_the_document_with_each_finding_marked_in_place_and_listed(documents, tmp_path):
    page = tmp_path / "audit.html"
    done = run_audit(str(documents["parent"]), "--layout", "hubei", "--html", str(page))
    assert done.returncode == 1
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text and "https://" not in text  # offline, self-contained
    assert text.count('class="finding error"') == 2  # the side panel
    assert '<td id="d0-f0" class="n error"' in text and ">314.11</td>" in text  # the parent's cell, marked
    assert '<td id="d0-f1" class="n error"' in text and ">341.11</td>" in text
    assert "科学技术管理事务" in text and "第" in text  # the document's own tables and paragraphs


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium not installed (.ci/run installs it)")
def test_the_html_page_renders_in_headless_chromium_without_console_errors(documents, tmp_path):
    page = tmp_path / "audit.html"
    run_audit(str(documents["total"]), "--layout", "hubei", "--html", str(page))
    done = chromium_screenshot(page, "", tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    shot = (tmp_path / "shot.png").read_bytes()
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []


# ---- what the document shows on its face: one change of wording, unit, year or table per kind ----------------

FACE_CHANGES = {
    # name: (change, the code it must give)
    "doubled": (lambda s, t: made.change_words(s, t, "收、支总计各减少70.48万元", "收、支总计各减少减少70.48万元"), "RD540"),
    "reason": (lambda s, t: made.change_words(s, t, "支出决算数大于年初预算数的主要原因是新增人员。", "支出决算数大于年初预算数。"),
               "RD541"),
    "missing": (lambda s, t: made.drop_table(s, t, "国有资本经营预算财政拨款支出决算表"), "RD542"),
    "unit": (lambda s, t: made.change_words(s, t, "单位：万元", "单位：元", 2), "RD543"),
    "yuan": (lambda s, t: made.change_words(s, t, "收、支总计均为376.72万元", "收、支总计均为376.72元"), "RD543"),
    "year": (lambda s, t: made.change_words(s, t, "第二部分 2023年度部门决算表", "第二部分 2022年度部门决算表", 1), "RD544"),
    "leftover": (lambda s, t: made.change_words(s, t, "科协将继续保持", "XX将继续保持"), "RD403"),
    "name": (lambda s, t: made.change_cell(s, t, "一般公共预算财政拨款支出决算表", "2060101", "行政运行", "行政运行费"), "RD112"),
    "section": (lambda s, t: made.change_words(s, t, "政府采购支出说明", "", 1), "RD546"),
    "blank": (lambda s, t: made.change_words(s, t, "收、支总计均为376.72万元", "收、支总计均为万元"), "RD403"),
    "department": (lambda s, t: made.change_words(s, t, "第一部分 武汉市洪山区科学技术协会概况",
                                                  "第一部分 武汉市洪山区科学技术局概况", 1), "RD544"),
}


@pytest.fixture(scope="module")
def face_documents(documents):
    folder = documents["hongshan"].parent
    found = {}
    for name, (change, _) in FACE_CHANGES.items():
        found[name] = folder / f"{name}.docx"
        change(documents["hongshan"], found[name])
    return found


@pytest.mark.parametrize("kind", sorted(FACE_CHANGES))
def test_each_change_of_wording_unit_year_or_table_is_found_and_nothing_else(face_documents, kind):
    audit = audit_file(str(face_documents[kind]), "hubei")
    if kind == "name":
        # a row renamed in one table no longer matches the sentences that name the item: those are found too
        renamed = [f for f in audit.findings if f.code == "RD112"]
        assert renamed and renamed[0].place.row == "2060101 行政运行费"
        return
    assert [f.code for f in audit.findings] == [FACE_CHANGES[kind][1]], [f.message for f in audit.findings]


def test_a_doubled_word_is_marked_in_its_sentence_under_its_section(face_documents):
    (finding,) = audit_file(str(face_documents["doubled"]), "hubei").findings
    place = finding.place
    assert place.section == "一、收入支出决算总体情况说明"
    start, end = place.span
    assert place.sentence[start:end] == "减少减少"


def test_a_title_line_naming_another_department_than_the_cover_is_found_at_that_line(face_documents):
    (finding,) = audit_file(str(face_documents["department"]), "hubei").findings
    assert finding.printed == "武汉市洪山区科学技术局" and finding.expected == "武汉市洪山区科学技术协会"
    assert "科学技术局" in finding.place.sentence


def test_a_table_figure_written_in_yuan_in_the_text_names_the_unit_the_tables_use(face_documents):
    (finding,) = audit_file(str(face_documents["yuan"]), "hubei").findings
    assert finding.printed == "376.72元" and finding.expected == "376.72 万元"


def test_check_finds_a_doubled_word_and_a_comparison_without_reason_in_a_report():
    from reportdsl.compiler import compile_text

    result = compile_text('report "示例" year 2023 unit 万元\npart "说明" {\n'
                          '  para "收入增加增加。行政运行支出决算数小于全年预算数。"\n'
                          '  para "支出决算数大于年初预算数的主要原因是新增人员。"\n}\n')
    assert sorted((d.code, d.span.line) for d in result.diagnostics) == [("RD540", 3), ("RD541", 3)]


LIST_CHANGES = {
    "names_zero": ("包括办公费、差旅费", "包括办公费、邮电费、差旅费", "the list names 邮电费, which the table gives as 0.00"),
    "leaves_out": ("包括办公费、差旅费、", "包括办公费、", "the list leaves out 差旅费 (1.15 in the table)"),
}


@pytest.mark.parametrize("kind", sorted(LIST_CHANGES))
def test_a_list_naming_a_zero_item_or_leaving_out_one_with_an_amount_is_found(documents, kind, tmp_path):
    old, new, message = LIST_CHANGES[kind]
    changed = tmp_path / f"{kind}.docx"
    made.change_words(documents["putuo"], changed, old, new)
    baseline = {(f.code, f.message) for f in audit_file(str(documents["putuo"]), "shanghai-2024").findings}
    audit = audit_file(str(changed), "shanghai-2024")
    found = [f for f in audit.findings if (f.code, f.message) not in baseline]  # the report's own warnings aside
    assert [(f.code, f.message) for f in found] == [("RD545", message)]
    place = found[0].place
    assert place.section and "公用经费" in place.sentence
    assert any(p.table and "基本支出决算表" in p.table for p in found[0].places[1:])


ZERO_BASE = ("比上年度增加307.82万元。变动的", "比上年度增加307.82万元，增长100.00%。变动的")


def test_a_rate_printed_over_a_zero_base_is_found_in_its_sentence(documents, tmp_path):
    changed = tmp_path / "zero_base.docx"
    made.change_words(documents["putuo"], changed, *ZERO_BASE)
    baseline = {(f.code, f.message) for f in audit_file(str(documents["putuo"]), "shanghai-2024").findings}
    (finding,) = [f for f in audit_file(str(changed), "shanghai-2024").findings if (f.code, f.message) not in baseline]
    assert finding.code == "RD308" and "over a zero base" in finding.expected
    start, end = finding.place.span
    assert finding.place.sentence[start:end] == "100.00%"


# ---- the prose: a figure or word of a sentence changed (needs the importer to read the prose) ---------------

PROSE_CHANGES = {
    # name: (old words, new words, codes the change may give)
    "change_rate": ("收、支总计各减少70.48万元，下降15.8%", "收、支总计各减少70.48万元，下降18.7%", {"RD308"}),
    "share": ("占本年支出68.1%", "占本年支出86.1%", {"RD308"}),
    "completion_rate": ("完成年初预算的114.29%", "完成年初预算的115.29%", {"RD308"}),
    "direction_word": ("收、支总计各减少70.48万元", "收、支总计各增加70.48万元", {"RD308", "RD411"}),
    "slipped_decimal": ("收、支总计均为376.72万元", "收、支总计均为37.67万元", {"RD308"}),
}


@pytest.fixture(scope="module")
def reads_prose(documents):
    if audit_file(str(documents["hongshan"]), "hubei").sentences_matched == 0:
        pytest.skip("the importer does not read the prose of a document yet")


@pytest.mark.parametrize("kind", sorted(PROSE_CHANGES))
def test_each_changed_figure_or_word_of_a_sentence_is_found_in_that_sentence(documents, reads_prose, kind, tmp_path):
    old, new, codes = PROSE_CHANGES[kind]
    changed = tmp_path / f"{kind}.docx"
    made.change_words(documents["hongshan"], changed, old, new)
    findings = audit_file(str(changed), "hubei").findings
    assert findings and {f.code for f in findings} <= codes, [(f.code, f.message) for f in findings]
    stated = [f for f in findings if f.code == "RD308"]
    assert stated and all(f.place.sentence and new.split("，")[-1] in f.place.sentence for f in stated)


def test_a_change_rate_over_the_wrong_year_says_what_that_denominator_gives():
    from reportdsl.compiler import compile_text

    result = compile_text('report "示例" year 2023 unit 万元\nfact 总计 = 376.72\nfact 总计@上年 = 447.20\n'
                          'let 变动率 = change(总计, 总计@上年)\nstated section "一" {\n'
                          '  abs(变动率) = 18.7% sentence "下降 18.7%"\n}\n')
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "RD308"
    assert "18.7% is what the current year as denominator gives" in diagnostic.help[-1]


# ---- the same changes in a PDF (the changed Word file converted by LibreOffice) and in Excel -----------------


# One change of each kind of the issue, made in Word and converted: (document, change, codes it may give).
# The prose kinds each have one representative here (their Word tests cover every variant).
PDF_CHANGES = {
    **{kind: ("hongshan", lambda s, t, c=change: made.change_cell(s, t, *c), {"RD301" if kind == "parent" else "RD308"})
       for kind, change in TABLE_CHANGES.items()},
    **{kind: ("hongshan", change, {code}) for kind, (change, code) in FACE_CHANGES.items()},
    **{kind: ("hongshan", lambda s, t, o=old, n=new: made.change_words(s, t, o, n), codes)
       for kind, (old, new, codes) in PROSE_CHANGES.items() if kind in ("change_rate", "direction_word", "slipped_decimal")},
    "zero_base": ("putuo", lambda s, t: made.change_words(s, t, *ZERO_BASE), {"RD308"}),
    "level": ("spent_abroad", lambda s, t: made.change_words(s, t, *LEVEL), {"RD548"}),
    "names_zero": ("putuo", lambda s, t: made.change_words(s, t, *LIST_CHANGES["names_zero"][:2]), {"RD545"}),
}
LAYOUTS = {"hongshan": "hubei", "putuo": "shanghai-2024", "spent_abroad": "hubei"}


@pytest.fixture(scope="module")
def pdf_documents(documents, tmp_path_factory):
    """The correct documents and one changed document per kind as PDF, converted in one LibreOffice run."""
    if made.shutil.which("soffice") is None and made.shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    chosen = {base: documents[base] for base in LAYOUTS}
    for kind, (base, change, _) in PDF_CHANGES.items():
        chosen[kind] = folder / f"{kind}.docx"
        change(documents[base], chosen[kind])
    return made.to_pdf_all(list(chosen.values()), folder / "out", names=list(chosen))


@pytest.fixture(scope="module")
def pdf_baselines(pdf_documents):
    """What each correct PDF gives (the Shanghai report's own warning; the import's misreadings, issue 13)."""
    return {base: {(f.code, f.message) for f in audit_file(str(pdf_documents[base]), LAYOUTS[base]).findings}
            for base in LAYOUTS}


# What the audit of a report's own outputs may give: nothing, or the warnings the report itself carries
# as published (the Shanghai report prints the published procurement figures, which its layout's
# check reports). reports/hongshan_2022.rpt is last year's figures for the sample, not a disclosure.
OWN_WARNINGS = {"hongshan": set(), "putuo": {("RD303", "warning")}}


@pytest.mark.parametrize("report,target", [("hongshan", "docx"), ("putuo", "docx"), ("hongshan", "xlsx"),
                                           ("putuo", "xlsx"), ("hongshan", "pdf"),
                                           ("putuo", "pdf")])
def test_the_outputs_of_every_report_give_nothing_but_the_reports_own_warnings(documents, request, report, target,
                                                                                tmp_path):
    if target == "pdf":
        output = request.getfixturevalue("pdf_documents")[report]
    else:
        output = documents[report] if target == "docx" else made.compile_report(SOURCES[report], target, tmp_path)
    audit = audit_file(str(output), LAYOUTS[report])
    assert audit.failed is None and audit.compared > 50
    assert {(f.code, f.severity) for f in audit.findings} <= OWN_WARNINGS[report], [f.message for f in audit.findings]


@pytest.mark.parametrize("kind", sorted(set(PDF_CHANGES) - {"name"}))
def test_each_kind_of_change_in_a_pdf_is_found_on_a_page_and_nothing_else(pdf_documents, pdf_baselines, kind):
    base, _, codes = PDF_CHANGES[kind]
    audit = audit_file(str(pdf_documents[kind]), LAYOUTS[base])
    found = [f for f in audit.findings if (f.code, f.message) not in pdf_baselines[base]]
    assert found and {f.code for f in found} <= codes, [(f.code, f.message) for f in found]
    if kind not in ("missing", "section"):  # what is missing is missing from the document as a whole
        assert all(f.place is not None and f.place.page is not None for f in found)


def test_an_item_name_changed_in_a_pdf_is_found_at_its_row_on_its_page(pdf_documents):
    audit = audit_file(str(pdf_documents["name"]), "hubei")
    # as in Word: the sentences naming the item no longer match the renamed row, and are found too
    (renamed,) = [f for f in audit.findings if f.code == "RD112"]
    assert renamed.place.row == "2060101 行政运行费" and renamed.place.page > 1
    assert renamed.place.table == "一般公共预算财政拨款支出决算表"


def test_a_changed_pdf_figure_is_found_at_its_page_table_row_and_column(pdf_documents, pdf_baselines):
    audit = audit_file(str(pdf_documents["twice"]), "hubei")
    (finding,) = [f for f in audit.findings if (f.code, f.message) not in pdf_baselines["hongshan"]]
    place = finding.place
    assert place.page is not None and place.page > 1
    assert (place.table, place.row) == ("收入支出决算总表", "社会保障和就业支出")
    assert finding.printed == "24.90"


# One change per kind that a workbook can show (it has the tables, not the prose): (change, code, row)
XLSX_CHANGES = {
    "total": (lambda s, t: made.change_xlsx_cell(s, t, "支出决算表", "合计", "256.72", "256.82"), "RD308", "合计"),
    "parent": (lambda s, t: made.change_xlsx_cell(s, t, "一般公共预算财政拨款支出决算表", "20601", "314.11", "341.11"),
               "RD301", "20601 科学技术管理事务"),
    "twice": (lambda s, t: made.change_xlsx_cell(s, t, "收入支出决算总表", "社会保障和就业支出", "24.99", "24.90"),
              "RD308", "社会保障和就业支出"),
    "name": (lambda s, t: made.change_xlsx_cell(s, t, "一般公共预算财政拨款支出决算表", "2060101", "行政运行", "行政运行费"),
             "RD112", "2060101 行政运行费"),
    "unit": (lambda s, t: made.change_xlsx_cell(s, t, "收入决算表", "单位：万元", "单位：万元", "单位：元"), "RD543", None),
    "missing": (lambda s, t: made.drop_sheet(s, t, "国有资本经营预算财政拨款支出决算表"), "RD542", None),
}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return made.compile_report(HONGSHAN, "xlsx", tmp_path_factory.mktemp("xlsx"))


@pytest.mark.parametrize("kind", sorted(XLSX_CHANGES))
def test_each_change_in_a_workbook_is_found_at_its_sheet_and_row_and_nothing_else(workbook, kind, tmp_path):
    change, code, row = XLSX_CHANGES[kind]
    changed = tmp_path / f"{kind}.xlsx"
    change(workbook, changed)
    findings = audit_file(str(changed), "hubei").findings
    assert {f.code for f in findings} == {code}, [(f.code, f.message) for f in findings]
    if row is not None:
        assert any(f.place.sheet and f.place.row == row for f in findings)
    if kind != "parent":  # a parent's fault is found at the parent and at its 类 above it
        assert len(findings) == 1


SHARES = ("占本年支出31.9%", "占本年支出33.9%")


def test_shares_of_a_breakdown_that_no_longer_add_up_are_found_once_at_the_share(documents, tmp_path):
    """基本支出 68.1% and 项目支出 33.9% of 本年支出: the layout's check finds the share (RD308), and the
    text's own arithmetic, which finds it too, adds nothing at that sentence."""
    from reportdsl.audit.prose_arithmetic import prose_arithmetic
    from reportdsl.importing.pipeline import read_document

    changed = tmp_path / "shares.docx"
    made.change_words(documents["hongshan"], changed, *SHARES)
    (finding,) = audit_file(str(changed), "hubei").findings
    assert finding.code == "RD308" and "33.9%" in finding.place.sentence
    on_its_own = prose_arithmetic(read_document(str(changed)))
    assert on_its_own and all("33.9%" in f.place.sentence for f in on_its_own)
    assert list(prose_arithmetic(read_document(str(documents["hongshan"])))) == []
