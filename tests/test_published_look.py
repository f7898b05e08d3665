"""The Word and Markdown outputs look like a published disclosure (issue 15): cover, 目录, pages,
landscape tables, repeated headers, headers of three levels, typeset Chinese text; layouts that a
report retitles or re-notes without copying; a house-style template made without Word."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import RGBColor

from helpers import document_of
from reportdsl.cli import main
from reportdsl.compiler import compile_file
from reportdsl.render.docx import render_docx
from reportdsl.render.title_lines import balanced_lines
from reportdsl.render.docx_table import needs_landscape
from reportdsl.render.markdown import render_markdown
from reportdsl.render.typography import tighten
from reportdsl.text_width import display_width

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

REPORT = '''
fact 总计 = 376.72
part "{department}概况" {
  section "总体情况" {
    para "{year} 年度收、支总计均为 {总计} 万元(含结转)。"
  }
}
part "{year} 年度部门决算表" {
  section "支出决算表" {
    table t3 "支出决算表" {
      columns ("序号", "科目编码", "科目名称", "本年支出" ["合计", "基本支出", "项目支出"])
      row (1, "2010101", "一般公共服务支出", 总计, 总计, 0)
      note "注：本表反映部门本年度各项支出情况。"
    }
  }
  section "收入决算表" {
    table t2 "收入决算表" {
      columns ("项目" ["功能分类科目编码", "科目名称"], "本年收入合计", "财政拨款收入", "上级补助收入",
               "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
      row ("合计", "", 总计, 总计, 0, 0, 0, 0, 0)
      row ("2080505", "机关事业单位基本养老保险缴费支出", 总计, 总计, 0, 0, 0, 0, 0)
    }
  }
  section "财政拨款“三公”经费支出决算表" {
    table t9 "财政拨款“三公”经费支出决算表" {
      columns ("预算数" ["合计", "公务用车购置及运行费" ["小计", "购置费", "运行费"]],
               "决算数" ["合计", "公务用车购置及运行费" ["小计", "购置费", "运行费"]])
      row (0, 0, 0, 0, 0, 0, 0, 0)
      note "注：本表反映部门本年度“三公”经费支出预决算情况。"
      empty "说明：本部门本年度没有财政拨款“三公”经费支出，故本表无数据。"
    }
  }
}
'''


@pytest.fixture(scope="module")
def document():
    return document_of(REPORT)


@pytest.fixture(scope="module")
def word(document):
    return Document(io.BytesIO(render_docx(document, {})))


def body_xml(word) -> str:
    return word.element.body.xml


def starts_page(paragraph) -> bool:
    """A page break before it, or a section (of the default kind: next page) ending just before it."""
    before = paragraph.getprevious()
    return (paragraph.find(f"{W}pPr/{W}pageBreakBefore") is not None
            or (before is not None and before.find(f"{W}pPr/{W}sectPr") is not None))


def test_the_document_opens_with_a_cover_in_a_section_without_footer(word):
    first = word.paragraphs[0]
    assert first.style.name == "封面标题" and first.text.replace("\n", "") == "示例单位2023年度部门决算"
    cover_section = first._p.pPr.find(f"{W}sectPr")
    assert cover_section is not None and cover_section.find(f"{W}footerReference") is None
    assert word.sections[-1]._sectPr.find(f"{W}footerReference") is not None  # page numbers after it


def test_the_contents_is_a_toc_field_that_word_updates_on_open(document, word):
    xml = body_xml(word)
    assert 'TOC \\o "1-2"' in xml and 'w:dirty="true"' in xml
    lines = [p.text.split("\t")[0] for p in word.paragraphs if p.style.name.startswith("toc")]
    assert lines == ["第一部分 示例单位概况", "一、总体情况", "第二部分 2023年度部门决算表", "一、支出决算表",
                     "二、收入决算表", "三、财政拨款“三公”经费支出决算表"]
    assert word.settings.element.find(f"{W}updateFields").get(f"{W}val") == "true"


def test_parts_and_tables_start_new_pages_and_a_table_title_is_printed_once(word):
    texts = [p.text for p in word.paragraphs]
    assert "一、支出决算表" not in texts and texts.count("支出决算表") == 1  # the caption only
    starts = [p.text for p in word.paragraphs if starts_page(p._p)]
    assert "第二部分 2023年度部门决算表" in starts  # 第一部分 follows the 目录 on a page of its own too
    assert starts.count("支出决算表") == 0  # it follows its part heading on the part's page
    assert "收入决算表" in starts  # the next table: a page (a section) of its own
    caption = next(p for p in word.paragraphs if p.text == "支出决算表")
    assert caption._p.pPr.find(f"{W}outlineLvl").get(f"{W}val") == "1"  # in the 目录 and the PDF outline


def test_a_wide_table_has_a_landscape_section_of_its_own(document, word):
    wide = [b for b in document.blocks if getattr(b, "name", "") == "t2"][0]
    narrow = [b for b in document.blocks if getattr(b, "name", "") == "t3"][0]
    assert needs_landscape(wide) and not needs_landscape(narrow)
    orientations = [s.orientation for s in word.sections]
    assert 1 in orientations  # WD_ORIENT.LANDSCAPE
    landscape = next(s for s in word.sections if s.orientation == 1)
    assert landscape.page_width > landscape.page_height


def test_header_rows_repeat_and_no_row_splits(word):
    for table in word.tables:
        rows = table._tbl.findall(f"{W}tr")
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        headers = [row for row in rows if row.find(f"{W}trPr/{W}tblHeader") is not None]
        assert headers and rows[: len(headers)] == headers


def test_three_header_levels_are_merged_cells(word):
    table = word.tables[-1]
    assert [c.text for c in table.rows[0].cells][:5] == ["预算数"] * 4 + ["决算数"]
    assert [c.text for c in table.rows[1].cells][:4] == ["合计", "公务用车购置及运行费", "公务用车购置及运行费",
                                                        "公务用车购置及运行费"]
    assert [c.text for c in table.rows[2].cells][:4] == ["合计", "小计", "购置费", "运行费"]


def test_markdown_flattens_three_levels_and_lists_the_contents_without_pages(document):
    text = render_markdown(document)
    assert "| 预算数/合计 | 预算数/公务用车购置及运行费/小计 | 预算数/公务用车购置及运行费/购置费 |" in text
    assert "## 目录\n\n- 第一部分 示例单位概况\n  - 一、总体情况\n- 第二部分 2023年度部门决算表\n" in text
    assert "### 一、支出决算表\n\n单位：万元" in text and "**支出决算表**" not in text  # titled once


def test_an_empty_table_carries_only_its_empty_note(document):
    three_public = [b for b in document.blocks if getattr(b, "name", "") == "t9"][0]
    assert three_public.notes == ("说明：本部门本年度没有财政拨款“三公”经费支出，故本表无数据。",)


def test_serial_numbers_are_centred_and_codes_left(word):
    table = word.tables[0]
    body = table.rows[2]
    serial, code = body.cells[0].paragraphs[0], body.cells[1].paragraphs[0]
    assert serial._p.pPr.find(f"{W}jc").get(f"{W}val") == "center"
    assert code._p.pPr.find(f"{W}jc") is None and code.style.name == "表格文字"


def test_a_total_row_spans_the_code_and_name_columns_centred(word):
    table = word.tables[1]
    total, item = (table.rows[index]._tr.findall(f"{W}tc") for index in (2, 3))
    label = total[0]
    assert label.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    assert label.find(f"{W}p/{W}pPr/{W}jc").get(f"{W}val") == "center"
    assert [t.text for t in label.iter(f"{W}t")] == ["合计"] and len(total) == len(item) - 1


def test_a_row_with_an_empty_amount_keeps_its_cells():
    """收入 over 项目 and 决算数 (table 1): a blank amount is a cell of its own, not room for the label."""
    document = document_of('''part "表" { section "总表" { table t1 "收入支出决算总表" {
      columns ("收入" ["项目", "决算数"], "支出" ["项目", "决算数"])
      row ("一、一般公共预算财政拨款收入", 1.00, "一、一般公共服务支出", 1.00)
      row ("二、政府性基金预算财政拨款收入", -, "二、外交支出", -)
    } } }''')
    table = Document(io.BytesIO(render_docx(document, {}))).tables[0]
    assert all(row._tr.find(f"{W}tc/{W}tcPr/{W}gridSpan") is None for row in table.rows[2:])
    assert len(table.rows[3]._tr.findall(f"{W}tc")) == 4


def style_of(docx: bytes, name: str) -> dict:
    """A paragraph style's East Asian font, size (pt), exact line height (pt) and boldness."""
    styles = Document(io.BytesIO(docx)).styles
    style = styles[name]
    fonts = style.element.rPr.find(f"{W}rFonts")
    line = style.paragraph_format.line_spacing
    return {"font": fonts.get(f"{W}eastAsia"), "size": style.font.size.pt, "bold": bool(style.font.bold),
            "line": round(line.pt, 1) if line is not None and hasattr(line, "pt") else None}


@pytest.mark.parametrize("report, body, section, table_title", [
    ("putuo_social_work_2024.rpt", {"font": "仿宋_GB2312", "size": 15, "line": 31.2, "bold": False},
     {"font": "楷体_GB2312", "size": 15, "line": 31.2, "bold": True}, {"font": "宋体", "size": 10.5}),
    ("hongshan_2023.rpt", {"font": "仿宋_GB2312", "size": 16, "line": 28, "bold": False},
     {"font": "黑体", "size": 16, "line": 28, "bold": False}, {"font": "黑体", "size": 14}),
])
def test_each_layout_is_set_as_its_province_publishes(report, body, section, table_title):
    """shanghai-2024 after the published Putuo PDF (15 pt on a 31.2 pt pitch, 楷体 sections, 宋体 tables);
    hubei keeps the national standard's 三号 on 28 pt with 黑体 headings."""
    result = compile_file(str(Path(__file__).parent.parent / "reports" / report))
    docx = render_docx(result.document, {})
    assert style_of(docx, "正文") == body
    assert style_of(docx, "一级标题") == section
    assert {key: style_of(docx, "表格标题")[key] for key in table_title} == table_title


def test_no_space_between_chinese_and_figures_and_full_width_brackets(word):
    texts = [p.text for p in word.paragraphs]
    assert "2023年度收、支总计均为376.72万元（含结转）。" in texts


@pytest.mark.parametrize("text, expected", [
    ("比上年增加 45.00 万元，增长 9.00%。", "比上年增加45.00万元，增长9.00%。"),
    ("事业 0 人(其中：参照公务员法管理 0 人)。", "事业0人（其中：参照公务员法管理0人）。"),
    ("合计 1,234.56 万元", "合计1,234.56万元"),
    ("see the PDF", "see the PDF"),
])
def test_typesetting_removes_spaces_beside_figures(text, expected):
    assert tighten(text) == expected


@pytest.mark.parametrize("title", ["中共上海市普陀区委社会工作部2024年度部门决算", "武汉市洪山区科学技术协会2023年度部门决算",
                                   "第三部分 中共上海市普陀区委社会工作部2024年度部门决算情况说明"])
@pytest.mark.parametrize("per_line", [12, 15, 27])
def test_a_title_never_ends_with_one_character_alone(title, per_line):
    lines = balanced_lines(title, per_line)
    assert "".join(lines).replace(" ", "") == title.replace(" ", "")
    assert all(display_width(line) / 2 <= per_line for line in lines)
    assert len(lines) == 1 or display_width(lines[-1]) > 2
    assert not any(line.endswith("202") for line in lines)  # a year is never cut


# ---- layouts: retitle, re-note ---------------------------------------------------------------------

LAYOUT = '''layout "mini" "示例格式" unit 万元
fact 总计 = ?
part 概况 "{department}概况" {
  section 职责 "部门主要职责" {
    para "开展学术交流。"
  }
}
part 表 "决算表" {
  section 总表 "收入支出决算总表" {
    table t1 "收入支出决算总表" {
      columns ("项目", "决算数")
      row ("合计", 总计)
      note "注：本表列示收支。"
    }
  }
}
'''


def compile_on_layout(tmp_path: Path, body: str):
    (tmp_path / "mini.rpt").write_text(LAYOUT, encoding="utf-8")
    (tmp_path / "r.rpt").write_text('report "示例" year 2023 unit 万元 layout "mini.rpt"\nfact 总计 = 5\n' + body,
                                    encoding="utf-8")
    return compile_file(str(tmp_path / "r.rpt"))


def test_retitling_a_part_keeps_its_content(tmp_path):
    result = compile_on_layout(tmp_path, 'part 概况 "{department}基本情况"\n')
    assert not result.diagnostics
    texts = [getattr(b, "title", "") or getattr(b, "text", "") for b in result.document.blocks]
    assert "示例基本情况" in texts and "开展学术交流。" in texts


def test_an_empty_replacement_warns_and_empties(tmp_path):
    result = compile_on_layout(tmp_path, 'section 职责 "部门主要职责" {}\n')
    assert [d.code for d in result.diagnostics] == ["RD120"]
    assert "开展学术交流。" not in result.document.paragraphs()


def test_a_report_overrides_one_tables_note_and_title_only(tmp_path):
    result = compile_on_layout(tmp_path, 'table t1 "收支总表" {\n  note "注：本表反映部门本年度的总收支。"\n}\n')
    assert not result.diagnostics
    [table] = [b for b in result.document.blocks if getattr(b, "name", "") == "t1"]
    assert table.title == "收支总表" and table.notes == ("注：本表反映部门本年度的总收支。",)
    assert [c.text for c in table.rows[0]] == ["合计", "5.00"]


def test_a_retitle_is_formatted_as_written(tmp_path):
    from reportdsl.fmt_command import formatted
    from reportdsl.source import SourceFile

    text = 'report "示例" year 2023 unit 万元 layout "mini.rpt"\npart 概况 "新的标题"\nsection 职责 "职责"\n'
    assert formatted(SourceFile("r.rpt", text)) == text


# ---- a house style without Word ----------------------------------------------------------------------

def test_the_template_command_makes_a_house_style_that_compiles(tmp_path):
    runner = CliRunner()
    house = tmp_path / "house.docx"
    made = runner.invoke(main, ["template", "--body-font", "仿宋", "--heading-font", "黑体", "--title-font", "宋体",
                                "--title-color", "red", "--body-size", "15", "-o", str(house)])
    assert made.exit_code == 0, made.output
    report = Path(__file__).parent.parent / "reports" / "hongshan_2023.rpt"
    compiled = runner.invoke(main, ["compile", str(report), "--to", "docx", "--no-charts", "--template", str(house),
                                    "-o", str(tmp_path / "out")])
    assert compiled.exit_code == 0, compiled.output
    word = Document(str(tmp_path / "out" / "hongshan_2023.docx"))
    east_asian = {name: word.styles[name].element.rPr.rFonts.get(f"{W}eastAsia")
                  for name in ("正文", "表格文字", "一级标题", "部分标题", "封面标题")}
    assert east_asian == {"正文": "仿宋", "表格文字": "仿宋", "一级标题": "黑体", "部分标题": "黑体", "封面标题": "宋体"}
    assert str(word.styles["封面标题"].font.color.rgb) == "FF0000"
    assert word.styles["正文"].font.size.pt == 15


def test_the_template_command_starts_from_a_layouts_own_template(tmp_path):
    runner = CliRunner()
    made = runner.invoke(main, ["template", "--layout", "shanghai-2024", "--title-color", "red",
                                "-o", str(tmp_path / "house.docx")])
    assert made.exit_code == 0, made.output
    house = (tmp_path / "house.docx").read_bytes()
    assert style_of(house, "正文") == {"font": "仿宋_GB2312", "size": 15, "line": 31.2, "bold": False}
    assert Document(io.BytesIO(house)).styles["封面标题"].font.color.rgb == RGBColor(0xFF, 0, 0)
    unknown = runner.invoke(main, ["template", "--layout", "beijing", "-o", str(tmp_path / "x.docx")])
    assert unknown.exit_code == 2 and "shanghai-2024" in unknown.output and not (tmp_path / "x.docx").exists()


def test_the_template_command_refuses_a_colour_it_does_not_know(tmp_path):
    made = CliRunner().invoke(main, ["template", "--title-color", "sunset", "-o", str(tmp_path / "x.docx")])
    assert made.exit_code == 2 and "not a colour" in made.output and not (tmp_path / "x.docx").exists()


def test_the_docx_keeps_the_same_bytes(document):
    assert render_docx(document, {}) == render_docx(document, {})
    assert zipfile.ZipFile(io.BytesIO(render_docx(document, {}))).testzip() is None


# ---- Word updates the 目录 when it opens the file ------------------------------------------------------

# CT_Settings of ECMA-376 Part 1 (§17.15.1.78): Word rejects or ignores a settings part out of this order.
SETTINGS_ORDER = """writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries
displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData embedTrueTypeFonts
embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader
bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors activeWritingStyle proofState
formsDesign attachedTemplate linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge
revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride
styleLockTheme styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone
doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders
bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing
drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery
doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData
noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars noLineBreaksAfter
noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent
alwaysShowPlaceholderText doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags
alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr
attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade
captions readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol
listSeparator""".split()


def word_part(docx: bytes, name: str):
    from lxml import etree

    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read(name))


@pytest.mark.parametrize("template", ["default", "house"])
def test_the_settings_part_asks_word_to_update_fields_in_the_order_the_schema_requires(document, template, tmp_path):
    chosen = None
    if template == "house":
        result = CliRunner().invoke(main, ["template", "--body-font", "仿宋_GB2312", "-o", str(tmp_path / "h.docx")])
        assert result.exit_code == 0, result.output
        chosen = (tmp_path / "h.docx").read_bytes()
    settings = word_part(render_docx(document, {}, template=chosen), "word/settings.xml")
    [update] = settings.findall(f"{W}updateFields")
    assert update.get(f"{W}val") == "true"
    names = [child.tag[len(W):] for child in settings if child.tag.startswith(W)]
    positions = [SETTINGS_ORDER.index(name) for name in names]
    assert positions == sorted(positions), names


def test_the_contents_field_is_marked_dirty_and_holds_every_entry(document):
    body = word_part(render_docx(document, {}), "word/document.xml")
    marks = [(element.get(f"{W}fldCharType"), element.get(f"{W}dirty")) if element.tag == f"{W}fldChar"
             else ("instr", element.text) for element in body.iter(f"{W}fldChar", f"{W}instrText")]
    begin = marks.index(("begin", "true"))
    assert marks[begin + 1][1].strip().startswith('TOC \\o "1-2"') and marks[begin + 2][0] == "separate"
    end = marks.index(("end", None), begin)
    paragraphs = body.iter(f"{W}p")
    inside, entries = False, []
    for paragraph in paragraphs:
        kinds = [c.get(f"{W}fldCharType") for c in paragraph.iter(f"{W}fldChar")]
        inside = inside or "begin" in kinds
        if inside:
            entries.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
        if "end" in kinds and inside:
            break
    assert end > begin and len(entries) == 6 and entries[0].startswith("第一部分 示例单位概况")


def test_names_of_a_two_sided_table_stay_on_one_line_when_the_amounts_give_up_their_air():
    from reportdsl.render.docx_table import column_widths, natural_widths

    [table] = [b for b in document_of('''
fact a = 307.82
part "表" {
  table t1 "收入支出决算总表" {
    columns ("收入" ["项目", "决算数"], "支出" ["项目", "决算数"])
    side { row ("三、国有资本经营预算财政拨款收入", a) }
    side { row ("二十六、抗疫特别国债安排的支出", a) }
  }
}
''').blocks if getattr(b, "name", "") == "t1"]
    widths, one_line = column_widths(table), natural_widths(table, lines=1)
    assert sum(one_line) > sum(widths)  # with 1,234.56's room the names would wrap (as they did)
    assert widths[0] >= one_line[0] and widths[2] >= one_line[2]
    assert all(width >= display_width("1,234.56") * 105 for width in (widths[1], widths[3]))
