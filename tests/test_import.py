"""Import: published Word, PDF, Excel and text files become reports on a layout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportdsl.importing import import_document
from reportdsl.office import soffice

ROOT = Path(__file__).resolve().parents[1]
PUTUO = ROOT / "reports" / "putuo_social_work_2024.rpt"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportdsl", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def putuo_docx(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("putuo")
    done = run_cli("compile", str(PUTUO), "--to", "docx", "--no-charts", "-o", str(folder), cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "putuo_social_work_2024.docx"


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics]


# ---- the tables ---------------------------------------------------------------------------------

def test_each_standard_table_of_a_word_file_is_found_by_its_title(putuo_docx):
    result = import_document(str(putuo_docx), "shanghai-2024")
    assert result.ok, result.diagnostics
    assert len(result.summary.tables_matched) == 10  # the nine tables and the table of units
    assert "一般公共预算财政拨款支出决算表" in result.summary.tables_matched


def test_items_are_written_from_the_table_that_prints_them_with_parents_as_printed(putuo_docx):
    text = import_document(str(putuo_docx), "shanghai-2024").text
    assert '201 "一般公共服务支出"   (-, -, 62.63, 202.24) {' in text  # the budgets of parents: not printed
    assert '2013999 "其他社会工作事务支出" (-, 202.24,     -, 202.24)' in text  # 全年预算 from the text
    assert '30103 "奖金"                         ( 0.00)' in text  # a printed 0.00 is zero
    assert '国有资本经营 "国有资本经营预算财政拨款收入" (     -)' in text  # a blank cell is no value


def test_a_figure_printed_again_in_another_table_is_stated_there_with_its_place(putuo_docx):
    result = import_document(str(putuo_docx), "shanghai-2024")
    again = [s for s in result.stated if s.expr == "收入[一般公共预算].决算"]
    assert [(s.literal, s.location.table, s.location.row) for s in again] == [
        ("307.82", "财政拨款收入支出决算总表", "一、一般公共预算财政拨款")]


def test_every_item_value_has_the_place_it_was_read_from(putuo_docx):
    result = import_document(str(putuo_docx), "shanghai-2024")
    places = dict(result.locations)
    where = places["gpb[2210201].基本支出"]
    assert (where.table, where.row, where.column) == ("一般公共预算财政拨款支出决算表", "2210201 住房公积金", "基本支出")


def test_the_report_written_is_left_unchanged_by_fmt(putuo_docx, tmp_path):
    done = run_cli("import", str(putuo_docx), "--layout", "shanghai-2024", "-o", "x.rpt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "rows read" in done.stderr
    assert run_cli("fmt", "--check", "x.rpt", cwd=tmp_path).returncode == 0


def test_import_never_overwrites_a_file(putuo_docx, tmp_path):
    (tmp_path / "x.rpt").write_text("mine", encoding="utf-8")
    done = run_cli("import", str(putuo_docx), "--layout", "shanghai-2024", "-o", "x.rpt", cwd=tmp_path)
    assert done.returncode == 2 and "never overwrites" in done.stderr
    assert (tmp_path / "x.rpt").read_text(encoding="utf-8") == "mine"


# ---- bad input: a diagnostic naming the file, exit 1, nothing written ---------------------------

def make_scanned_pdf(path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.save(path)


def make_encrypted_pdf(path: Path) -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user="secret"))


def make_minutes_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.add_paragraph("与会人员讨论了下一季度的工作安排，并确定了分工。")
    document.save(path)


def table_five_workbook(row: list):
    """A workbook of one sheet, 表五 with one row of figures (row 4)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表五"
    sheet.append(["一般公共预算财政拨款支出决算表"])
    sheet.append(["单位：万元"])
    sheet.append(["功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    sheet.append(row)
    return book


def make_formula_xlsx(path: Path) -> None:
    table_five_workbook(["201", "一般公共服务支出", "=D4+E4", 1, 2]).save(path)


def make_wrong_columns_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一般公共预算财政拨款支出决算表")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("项目", "金额", "备注")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("一般公共服务支出", "12.00", "")):
        cell.text = text
    document.save(path)


BAD_INPUTS = [
    ("scan.pdf", make_scanned_pdf, "RD502", "scanned"),
    ("locked.pdf", make_encrypted_pdf, "RD503", "encrypted"),
    ("minutes.docx", make_minutes_docx, "RD504", "not a disclosure"),
    ("tables.xlsx", make_formula_xlsx, "RD505", "sheet '表五', cell C4"),
    ("wrong.docx", make_wrong_columns_docx, "RD506", "do not match the layout"),
]


@pytest.mark.parametrize("name,make,code,words", BAD_INPUTS, ids=[case[2] for case in BAD_INPUTS])
def test_a_bad_input_is_a_diagnostic_naming_the_file_and_nothing_is_written(tmp_path, name, make, code, words):
    make(tmp_path / name)
    done = run_cli("import", name, "--layout", "shanghai-2024", "-o", "out.rpt", cwd=tmp_path)
    assert done.returncode == 1
    assert f"{name}: error[{code}]" in done.stderr and words in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "out.rpt").exists()


def test_a_file_of_another_kind_is_refused(tmp_path):
    (tmp_path / "notes.pages").write_bytes(b"PK\x03\x04")
    result = import_document(str(tmp_path / "notes.pages"), "shanghai-2024", "notes.pages")
    assert not result.ok and codes(result) == ["RD501"]
    assert ".doc" in result.diagnostics[0].help[0] and ".xls" in result.diagnostics[0].help[0]


# ---- Word 97 and Excel 97 files, read through LibreOffice ------------------------------------------

needs_office = pytest.mark.skipif(soffice() is None and not os.environ.get("CI"),
                                  reason="LibreOffice is not installed (CI installs it)")


def saved_by_office(source: Path, target: str) -> Path:
    from reportdsl import office

    converted = source.with_suffix(f".{target}")
    converted.write_bytes(office.convert(source.read_bytes(), source.name, target, missing="the test"))
    return converted


def report_body(result) -> str:
    """The written report without its comments, which name the file it came from."""
    return "\n".join(line for line in result.text.splitlines() if not line.lstrip().startswith("#"))


@needs_office
def test_a_word_97_file_imports_as_its_docx_does_and_diagnostics_name_the_doc(putuo_docx, tmp_path):
    doc = saved_by_office(putuo_docx, "doc")
    from_doc = import_document(str(doc), "shanghai-2024", "putuo.doc")
    from_docx = import_document(str(putuo_docx), "shanghai-2024", "putuo.docx")
    assert from_doc.ok and report_body(from_doc) == report_body(from_docx)
    renamed = tmp_path / "really_a_doc.docx"
    renamed.write_bytes(doc.read_bytes())
    assert report_body(import_document(str(renamed), "shanghai-2024")) == report_body(from_docx)


@needs_office
def test_an_excel_97_file_imports_as_its_xlsx_does(tmp_path):
    done = run_cli("compile", str(PUTUO), "--to", "xlsx", "-o", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    xlsx = tmp_path / "putuo_social_work_2024.xlsx"
    xls = saved_by_office(xlsx, "xls")
    from_xls = import_document(str(xls), "shanghai-2024", "putuo.xls")
    assert from_xls.ok and report_body(from_xls) == report_body(import_document(str(xlsx), "shanghai-2024"))


@needs_office
def test_a_doc_that_is_not_a_document_is_a_diagnostic_and_nothing_is_written(tmp_path):
    (tmp_path / "notes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    done = run_cli("import", "notes.doc", "--layout", "shanghai-2024", "-o", "out.rpt", cwd=tmp_path)
    assert done.returncode == 1 and "notes.doc: error[RD50" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout and not (tmp_path / "out.rpt").exists()


def test_a_word_97_file_without_libreoffice_says_what_to_install(tmp_path, monkeypatch):
    from reportdsl import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    result = import_document(str(tmp_path / "old.doc"), "shanghai-2024", "old.doc")
    assert codes(result) == ["RD501"] and "needs LibreOffice" in result.diagnostics[0].message
    assert "apt-get install" in result.diagnostics[0].message and "save the file as .docx" in result.diagnostics[0].help[0]


def test_digits_a_spreadsheet_wrote_past_what_a_double_holds_are_not_the_authors(tmp_path):
    import zipfile

    book = table_five_workbook(["201", "一般公共服务支出", 7531.25, 0.125, 7531.125])
    for cell in book.active[4][2:]:
        cell.number_format = "0.00"
    book.save(tmp_path / "plain.xlsx")
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source, zipfile.ZipFile(tmp_path / "noisy.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith("sheet1.xml"):  # the 17 digits Excel writes for sums like 0.1 + 0.2
                data = data.replace(b"<v>7531.25</v>", b"<v>7531.2500000000009</v>")
            target.writestr(item, data)
    result = import_document(str(tmp_path / "noisy.xlsx"), "shanghai-2024", "noisy.xlsx",
                             department="某局", year=2024)
    assert result.ok
    assert "7531.25" in result.text and "7531.2500000000009" not in result.text
    assert "0.125" in result.text  # an exact value keeps every decimal it has


def make_split_code_docx(path: Path) -> None:
    """Table 5 with its codes in three columns, as some finance systems print them."""
    import docx

    document = docx.Document()
    document.add_paragraph("某某局 2024 年度部门决算")
    document.add_paragraph("表五 一般公共预算财政拨款支出决算表")
    document.add_paragraph("单位：万元")
    rows = [("科目编码", "科目编码", "科目编码", "科目名称", "合计", "基本支出", "项目支出"),
            ("类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"),
            ("合计", "合计", "合计", "", "30.00", "20.00", "10.00"),
            ("201", "", "", "一般公共服务支出", "30.00", "20.00", "10.00"),
            ("", "03", "", "政府办公厅（室）及相关机构事务", "30.00", "20.00", "10.00"),
            ("", "", "01", "行政运行", "20.00", "20.00", ""),
            ("", "", "02", "一般行政管理事务", "10.00", "", "10.00")]
    table = document.add_table(rows=len(rows), cols=7)
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.save(path)


def test_codes_printed_in_separate_class_columns_are_joined_into_one_code(tmp_path):
    make_split_code_docx(tmp_path / "split.docx")
    result = import_document(str(tmp_path / "split.docx"), "shanghai-2024", "split.docx")
    assert result.ok, [d.message for d in result.diagnostics]
    assert '2010301 "行政运行"         (-, -, 20.00,     -)' in result.text
    assert '20103 "政府办公厅（室）及相关机构事务" (-, -, 20.00, 10.00) {' in result.text
    assert dict(result.locations)["gpb[2010302].项目支出"].row == "2010302 一般行政管理事务"


def test_a_fault_of_the_importer_is_a_diagnostic_and_nothing_is_written(tmp_path, monkeypatch):
    from reportdsl.importing import pipeline

    def broken(*args, **kwargs):
        raise KeyError("a case the importer did not expect")

    monkeypatch.setattr(pipeline, "assemble", broken)
    (tmp_path / "made.txt").write_text("某某中心2023年度部门决算\n一、收入支出决算总体情况说明\n收、支总计均为 1.00 万元。\n",
                                       encoding="utf-8")
    result = import_document(str(tmp_path / "made.txt"), "hubei", "made.txt")
    assert result.text is None
    assert [d.code for d in result.diagnostics] == ["RD509"] and "KeyError" in result.diagnostics[0].message


# ---- PDF: headings told by the face they are set in ---------------------------------------------

def pdf_lines(*lines: tuple[str, str, bool]):
    """Prose lines of a made-up PDF page: (text, face, begins a paragraph)."""
    from reportdsl.importing.read_pdf import ProseLine
    from reportdsl.importing.source import Place, SourceParagraph

    place = Place("made.pdf", 3)
    return [ProseLine(SourceParagraph(text, place), starts, False, ((face, sum(c >= "\u4e00" for c in text)),))
            for text, face, starts in lines]


def test_a_numbered_pdf_line_set_in_the_heading_face_is_a_heading_and_in_the_body_face_is_not():
    from reportdsl.importing.read_pdf import join_paragraphs

    paragraphs = join_paragraphs(pdf_lines(
        ("附件 1", "SimHei", True),
        ("2.完成的绩效目标", "SimSun-Bold", True),
        ("（1）召开全民科学素质大会；开展活动 4 场；开展", "SimSun-Bold", True),
        ("科普讲座 6 场。", "SimSun-Bold", False),
        ("完成情况：全面完成目标，完成 100%", "FangSong", False),  # a change of face begins a paragraph
        ("1、召开全民科学素质大会，总结回顾全年工作，研究部署", "FangSong", True),
        ("下一步重点工作任务。", "FangSong", False),
        ("3.未完成的绩效目标", "SimSun-Bold", True),
        ("无", "FangSong", True),
        ("1.执行率情况........................32", "SimSun-Bold", True),  # a 目录 line
    ))
    assert [(p.text, p.is_heading) for p in paragraphs] == [
        ("附件 1", True),
        ("2.完成的绩效目标", True),
        ("（1）召开全民科学素质大会；开展活动 4 场；开展科普讲座 6 场。", True),
        ("完成情况：全面完成目标，完成 100%", False),
        ("1、召开全民科学素质大会，总结回顾全年工作，研究部署下一步重点工作任务。", False),
        ("3.未完成的绩效目标", True),
        ("无", False),
        ("1.执行率情况........................32", False),
    ]


def test_an_unnumbered_sentence_set_in_another_face_is_not_a_heading():
    from reportdsl.importing.read_pdf import join_paragraphs

    paragraphs = join_paragraphs(pdf_lines(
        ("本年度收入合计 12.00 万元，支出合计 12.00 万元。", "FangSong", True),
        ("无政府性基金预算财政拨款收入支出的，仍保留该表格式：", "SimHei", True),
        ("本部门本年度无政府性基金预算财政拨款收入和支出。", "FangSong", True),
    ))
    assert [p.is_heading for p in paragraphs] == [False, False, False]


def test_a_paragraph_running_over_a_page_break_places_each_of_its_words_on_its_own_page():
    from reportdsl.importing.read_pdf import ProseLine, join_paragraphs
    from reportdsl.importing.source import Place, SourceParagraph

    lines = [("一般公共预算财政拨款支出 12.00 万元，占本年支出合计的", 17, True),
             ("100.00%。与上年相比，增加 12.00 万元，增长 100.00%。", 18, False)]
    paragraph, = join_paragraphs([ProseLine(SourceParagraph(text, Place("made.pdf", page)), starts, False,
                                            (("FangSong", 20),)) for text, page, starts in lines])
    assert paragraph.place.page == 17
    assert paragraph.page_at(paragraph.text.index("占本年")) == 17
    assert paragraph.page_at(paragraph.text.index("增长")) == 18
