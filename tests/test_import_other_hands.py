"""Import of Word and PDF files laid out by other hands than ours: a 行次 column, a title and 单位 line
inside the table, codes split into 类 | 款 in both halves of 表六, a table continued over a page with
its header repeated and a row broken over the page break, a left-aligned paragraph that wraps before a
number, 目录 lines with their page numbers, a cover's year in a Latin face. Every figure here is made up."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportdsl.importing import import_document
from reportdsl.outputs import soffice

COVER = ("某某局", "2024 年度部门决算")


def word_file(path: Path, *parts) -> Path:
    """A Word file of paragraphs (str) and tables (lists of rows; a row of one text is merged across)."""
    import docx

    document = docx.Document()
    for part in parts:
        if isinstance(part, str):
            document.add_paragraph(part)
            continue
        width = max(len(row) for row in part)
        table = document.add_table(rows=len(part), cols=width)
        table.style = "Table Grid"
        for row, texts in zip(table.rows, part):
            if len(texts) == 1:
                row.cells[0].merge(row.cells[-1]).text = texts[0]
                continue
            for cell, text in zip(row.cells, texts):
                cell.text = text
    document.save(path)
    return path


def imported(path: Path):
    result = import_document(str(path), "shanghai-2024", path.name)
    assert result.ok, [d.message for d in result.diagnostics]
    return result


def stated_at(result, row: str, column: str) -> str:
    return next(s.literal for s in result.stated if s.location.row == row and s.location.column == column)


# ---- Word tables -------------------------------------------------------------------------------

TABLE_ONE_WITH_LINE_NUMBERS = [
    ("收入", "收入", "收入", "支出", "支出", "支出"),
    ("项目", "行次", "决算数", "项目", "行次", "决算数"),
    ("栏次", "", "1", "栏次", "", "2"),
    ("一、一般公共预算财政拨款收入", "1", "36.00", "一、一般公共服务支出", "32", "36.00"),
    ("二、政府性基金预算财政拨款收入", "2", "", "二、外交支出", "33", ""),
    ("本年收入合计", "3", "36.00", "本年支出合计", "34", "36.00"),
    ("总计", "4", "36.00", "总计", "35", "36.00"),
]


def test_a_line_number_column_and_the_row_numbering_the_columns_are_left_out(tmp_path):
    result = imported(word_file(tmp_path / "hangci.docx", *COVER, "表一 收入支出决算总表", "单位：万元",
                                TABLE_ONE_WITH_LINE_NUMBERS))
    assert not [d for d in result.diagnostics if d.code in ("RD506", "RD507")]
    assert result.summary.rows_read == 4  # the 栏次 row is no row of figures
    assert stated_at(result, "本年收入合计", "收入 决算数") == "36.00"
    assert stated_at(result, "总计", "支出 决算数") == "36.00"
    where = dict(result.locations)["收入[一般公共预算].决算"]
    assert (where.row, where.column) == ("一、一般公共预算财政拨款收入", "收入 决算数")


TABLE_FIVE_TITLED_INSIDE = [
    ("表五 某某局2024年度一般公共预算财政拨款支出决算表",),
    ("单位：万元",),
    ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
    ("201", "一般公共服务支出", "18.00", "12.00", "6.00"),
    ("20103", "政府办公厅（室）及相关机构事务", "18.00", "12.00", "6.00"),
    ("2010301", "行政运行", "12.00", "12.00", ""),
    ("2010302", "一般行政管理事务", "6.00", "", "6.00"),
    ("合计", "", "18.00", "12.00", "6.00"),
]


def test_a_title_and_unit_line_printed_in_the_tables_own_first_rows_are_its_captions(tmp_path):
    result = imported(word_file(tmp_path / "inside.docx", *COVER, TABLE_FIVE_TITLED_INSIDE))
    assert result.summary.tables_matched and result.summary.rows_read == 5
    assert 'report "某某局" year 2024 unit 万元' in result.text  # the unit read from the table's own row
    assert '2010302 "一般行政管理事务" (-, -,     -, 6.00)' in result.text
    where = dict(result.locations)["gpb[2010301].基本支出"]
    assert where.table == "表五某某局2024年度一般公共预算财政拨款支出决算表" and where.row == "2010301 行政运行"


TABLE_SIX_SPLIT_CODES = [
    ("经济分类科目编码", "经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "经济分类科目编码", "科目名称", "决算数"),
    ("类", "款", "科目名称", "决算数", "类", "款", "科目名称", "决算数"),
    ("301", "", "工资福利支出", "20.00", "302", "", "商品和服务支出", "5.00"),
    ("301", "01", "基本工资", "20.00", "302", "01", "办公费", "5.00"),
    ("", "", "人员经费合计", "20.00", "", "", "公用经费合计", "5.00"),
]


def test_both_halves_of_the_basic_spending_table_join_their_codes_printed_as_class_and_section(tmp_path):
    result = imported(word_file(tmp_path / "six.docx", *COVER, "表六 一般公共预算财政拨款基本支出决算表", "单位：万元",
                                TABLE_SIX_SPLIT_CODES))
    assert not [d for d in result.diagnostics if d.code in ("RD506", "RD507")]
    places = dict(result.locations)
    assert places["经济[30101].决算"].row == "30101 基本工资"
    assert places["经济[30201].决算"].row == "30201 办公费"
    assert places["经济[公用].决算"].row == "公用经费合计"
    assert '30201 "办公费"' in result.text and "(5.00)" in result.text


TABLE_THREE_HEADER = ("项目", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
TABLE_THREE_FIRST = [TABLE_THREE_HEADER,
                     ("合计", "18.00", "12.00", "6.00", "", "", ""),
                     ("201 一般公共服务支出", "18.00", "12.00", "6.00", "", "", ""),
                     ("20103 政府办公厅（室）及相关机构事务", "18.00", "12.00", "6.00", "", "", "")]
TABLE_THREE_REST = [TABLE_THREE_HEADER,
                    ("2010301 行政运行", "12.00", "12.00", "", "", "", ""),
                    ("2010302 一般行政管理事务", "6.00", "", "6.00", "", "", "")]


@pytest.mark.parametrize("between", [(), ("续表",), ("三、支出决算表（续）", "单位：万元")])
def test_a_word_table_set_again_after_a_page_break_goes_on_and_codes_printed_in_the_names_are_read(tmp_path, between):
    result = imported(word_file(tmp_path / "parts.docx", *COVER, "三、支出决算表", "单位：万元", TABLE_THREE_FIRST,
                                *between, TABLE_THREE_REST))
    assert not [d for d in result.diagnostics if d.code in ("RD506", "RD507")]
    assert result.summary.rows_read == 5
    places = dict(result.locations)
    assert places["功能[2010302].项目支出"].row == "2010302 一般行政管理事务"
    assert places["功能[2010302].项目支出"].table == "三、支出决算表"
    assert '2010301 "行政运行"' in result.text


# ---- Word and PDF: the 目录 -----------------------------------------------------------------

def test_the_page_numbers_of_a_table_of_contents_are_no_figures_of_the_text(tmp_path):
    result = imported(word_file(
        tmp_path / "contents.docx", *COVER, "目  录",
        "第一部分 某某局概况……………………3", "一、收入支出决算总体情况说明……………………12",
        "九、国有资本经营预算财政拨款收入支出决算表……………………16",
        "第三部分 某某市某某区生态环境保护管理局2024年度部门决算情况说明……………………17",
        "第三部分 某某局2024年度部门决算情况说明", "一、收入支出决算总体情况说明",
        "某某局2024年度收入、支出总计均为36.00万元。与2023年度相比，收、支总计各增加6.00万元，增长20.00%。"))
    figures = sorted(s.literal for s in result.stated if not s.location.table)
    assert figures == ["20.00%", "36.00", "6.00"]
    assert not [line for line in result.text.splitlines() if line.startswith("fact ") and "……" in line]


# ---- PDF ----------------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(soffice() is None, reason="making the PDF needs LibreOffice")

# A name cell of many lines: taller than what is left of the first page, the row is broken over the
# page break, its code and figures above it and the rest of its name below.
TALL_NAME = "一般行政" + "\n" * 70 + "管理事务"
LONG_TITLE = "某某市某某区某某某某某某管理局 2024 年度一般公共预算财政拨款支出决算表"


def pdf_of(document, source: Path) -> Path:
    """The Word document saved as `source` and made a PDF beside it by LibreOffice."""
    from made_documents import to_pdf_all

    document.save(source)
    return to_pdf_all([source], source.parent, ["pdf"])["pdf"]


def long_table_pdf(folder: Path) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    for text in COVER:
        run = document.add_paragraph().add_run(text)
        run.font.size, run.bold = Pt(26), True
    document.add_paragraph("公开05表")
    title = document.add_paragraph().add_run(LONG_TITLE)  # broken over two lines
    title.font.size, title.bold = Pt(18), True
    document.add_paragraph("单位：万元")
    rows = [("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
            ("201", "一般公共服务支出", "18.00", "12.00", "6.00"),
            ("20103", "政府办公厅（室）及相关机构事务", "18.00", "12.00", "6.00"),
            ("2010301", "行政运行", "12.00", "12.00", ""),
            ("2010302", TALL_NAME, "4.00", "", "4.00"),
            ("2010350", "事业运行", "2.00", "", "2.00"),
            ("合计", "", "18.00", "12.00", "6.00")]
    table = document.add_table(rows=len(rows), cols=5)
    table.style = "Table Grid"
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    document.sections[0].header.paragraphs[0].text = "某某局2024年度部门决算"  # over every page, the next one's table too
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)  # the header printed again on the next page
    return pdf_of(document, folder / "long.docx")


@needs_soffice
def test_a_pdf_table_continued_under_a_running_head_with_its_header_repeated_and_a_row_broken_over_the_page_is_one_table(tmp_path):
    result = imported(long_table_pdf(tmp_path))
    assert not [d for d in result.diagnostics if d.code in ("RD506", "RD507")]
    assert result.summary.rows_read == 6
    places = dict(result.locations)
    broken, after = places["gpb[2010302].项目支出"], places["gpb[2010350].项目支出"]
    assert broken.row == "2010302 一般行政管理事务" and broken.page == 1
    assert after.page == 2 and after.table == broken.table
    assert '2010302 "一般行政管理事务"' in result.text
    assert 'report "某某局" year 2024' in result.text  # the cover's year, in a Latin face, is read
    from reportdsl.importing.pipeline import read_document

    captions = read_document(str(tmp_path / "long.pdf")).tables[0].captions
    assert captions[0] == "公开05表" and captions[-1] == "单位：万元"  # a numbering above a title of two lines


def prose_line(text: str, x0: float, x1: float, top: float) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 12, "chars": ()}


def test_a_left_aligned_pdf_line_that_wraps_before_a_number_goes_on_into_the_next():
    from reportdsl.importing.read_pdf import join_paragraphs, page_lines
    from reportdsl.importing.source import Place

    lines = [prose_line("一般公共预算财政拨款支出 12.00 万元，占本年支出合计的", 96, 478, 100),
             prose_line("100.00%。与上年相比，增加 12.00 万元，增长 100.00%。本年度无政府性基金预", 72, 505, 120),
             prose_line("算财政拨款收入和支出。", 72, 200, 140),
             prose_line("2024 年度未发生国有资本经营预算财政拨款收入和支出。公务接待费完成预算的", 72, 430, 160),
             prose_line("0.00%。2025 年度“三公”经费支出决算数小于预算数。", 72, 300, 180)]
    paragraphs = join_paragraphs(page_lines(lines, Place("made.pdf", 3), None))
    assert [p.text[:12] for p in paragraphs] == ["一般公共预算财政拨款支出", "2024 年度未发生国有"]
    assert "占本年支出合计的100.00%。与上年相比" in paragraphs[0].text
    assert "完成预算的0.00%。2025" in paragraphs[1].text  # no line break inside "0.00%。2025" either


def three_line_table_pdf(folder: Path) -> Path:
    """表五 drawn as a 三线表: rules above the table, below its header and below its last row only."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for text in (*COVER, "五、一般公共预算财政拨款支出决算表", "单位：万元"):
        document.add_paragraph(text)
    rows = [("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
            ("201", "一般公共服务支出", "18.00", "12.00", "6.00"),
            ("20103", "政府办公厅（室）及相关机构事务", "18.00", "12.00", "6.00"),
            ("2010301", "行政运行", "12.00", "12.00", "0.00"),
            ("2010302", "一般行政管理事务", "6.00", "0.00", "6.00"),
            ("合计", "", "18.00", "12.00", "6.00")]
    table = document.add_table(rows=len(rows), cols=5)
    for row, texts in zip(table.rows, rows):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "bottom"):
        rule = OxmlElement(f"w:{edge}")
        rule.set(qn("w:val"), "single")
        borders.append(rule)
    table._tbl.tblPr.append(borders)
    for cell in table.rows[0].cells:
        under = OxmlElement("w:tcBorders")
        rule = OxmlElement("w:bottom")
        rule.set(qn("w:val"), "single")
        under.append(rule)
        cell._tc.get_or_add_tcPr().append(under)
    document.add_paragraph("注：本表反映部门本年度一般公共预算财政拨款支出情况。")
    return pdf_of(document, folder / "three.docx")


@needs_soffice
def test_a_pdf_table_drawn_without_rules_between_its_cells_is_read_as_a_table_printed_as_text(tmp_path):
    result = imported(three_line_table_pdf(tmp_path))
    assert not [d for d in result.diagnostics if d.code in ("RD506", "RD507", "RD515")]
    assert result.summary.rows_read == 5
    assert '2010302 "一般行政管理事务" (-, -,  0.00, 6.00)' in result.text
    assert dict(result.locations)["gpb[2010301].基本支出"].page == 1
    assert not [line for line in result.text.splitlines() if line.startswith("fact ")]  # its figures are no prose


CUT_FIGURES = """某某局
2024 年度部门决算
一般公共预算财政拨款支出决算表
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
201 一般公共服务支出 18.00 12.00 6.00
20103 政府办公厅（室）及相关机构事务 18.00 12.00 6.00
2010301 行政运 1,101.7 1,101.7 0.00
行 8 8
2010302 一般行政管理事务 6.00 0.00 6.00
注：本表反映部门本年度一般公共预算财政拨款支出情况。
"""


def test_a_figure_its_narrow_cell_broke_over_two_lines_is_never_read_as_two_figures(tmp_path):
    (tmp_path / "cut.txt").write_text(CUT_FIGURES, encoding="utf-8")
    result = imported(tmp_path / "cut.txt")
    warned = [d.message for d in result.diagnostics if d.code == "RD507"]
    assert warned and "1,101.7" in warned[0]
    assert "1101.7" not in result.text and "1101.70" not in result.text
    assert '2010301 "行政运"           (-, -,    ?,    ?)' in result.text  # printed, so asked for: not blanks


TABLE_FOUR_WITH_A_ROW_NOT_READ = [
    ("收入", "收入", "支出", "支出", "支出", "支出", "支出"),
    ("项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"),
    ("一、一般公共预算财政", "40.00", "一、一般公共服务支出", "45.00", "45.00", "", ""),  # its name cut short
    ("本年收入合计", "40.00", "本年支出合计", "45.00", "45.00", "", ""),
    ("年初财政拨款结转和结余", "5.00", "年末财政拨款结转和结余", "0.00", "0.00", "", ""),
    ("一、一般公共预算财政拨款", "5.00", "", "", "", "", ""),
    ("总计", "45.00", "总计", "45.00", "45.00", "", ""),
]


def test_a_row_whose_name_another_row_of_the_table_shares_is_not_taken_by_it_when_it_was_not_read(tmp_path):
    result = imported(word_file(tmp_path / "four.docx", *COVER, "表四 财政拨款收入支出决算总表", "单位：万元",
                                TABLE_FOUR_WITH_A_ROW_NOT_READ))
    assert [d for d in result.diagnostics if d.code == "RD507" and "一、一般公共预算财政" in d.message]
    where = dict(result.locations)
    assert where["结转结余[年初一般公共预算].决算"].row == "一、一般公共预算财政拨款"  # the carry-over's own row
    assert "收入[一般公共预算].决算" not in where  # not the 5.00 of the row below it
