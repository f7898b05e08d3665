"""Backends: Markdown text, Word checked through python-docx, determinism, templates, PDF."""

import io
import os
import subprocess
import sys
import zipfile

import pytest
from hypothesis import given, strategies as st
from click.testing import CliRunner
from docx import Document

from reportdsl.outputs import build_outputs, soffice
from reportdsl.cli import main
from reportdsl.render.docx import TemplateError, default_template, render_docx
from reportdsl.render.typography import tighten
from reportdsl.render.markdown import render_markdown
from helpers import compile_snippet, document_of

REPORT = '''
fact 总计 = 376.72
fact 总计@上年 = 447.20
fact 基本 = 256.72
fact 项目 = 120.00
fact 原因 = "本年 <w:p> 开展项目减少 & “预算” 'x' 减少"
let 变动 = 总计 - 总计@上年
part "{department}概况" {
  section "总体情况" {
    para "收、支总计 {总计} 万元，{变动:增减} {abs(变动)} 万元，{change(总计, 总计@上年):升降} {abs(change(总计, 总计@上年))}。主要原因是{原因}。"
    chart bar 图总计 "收、支决算总计变动情况" { "{year - 1} 年": 总计@上年  "{year} 年": 总计 }
    chart pie 图结构 "支出决算结构" { "基本支出 {share(基本, 总计):%.1}": 基本  "项目支出 {share(项目, 总计):%.1}": 项目 }
  }
}
part "决算表" {
  section "支出决算表" {
    table t3 "支出决算表" {
      columns ("项目", "本年支出" ["合计", "基本支出", "项目支出"])
      row ("合计", 总计, 基本, 项目)
      note "注：本表反映部门本年度各项支出情况。"
    }
  }
  section "政府性基金预算财政拨款收入支出决算表" {
    table t7 "政府性基金预算财政拨款收入支出决算表" {
      columns ("项目", "本年收入", "本年支出")
      row ("合计", 0, 0)
      empty "说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"
    }
  }
}
'''


@pytest.fixture(scope="module")
def document():
    return document_of(REPORT)


@pytest.fixture(scope="module")
def docx_bytes(document):
    from reportdsl.render.charts import draw_charts

    images, _ = draw_charts(document)
    return render_docx(document, images)


def test_markdown_layout(document):
    text = render_markdown(document, {"图总计": "r_files/chart1.png"})
    assert text.startswith("# 示例单位2023年度部门决算\n")
    assert "## 第一部分 示例单位概况" in text and "### 一、总体情况" in text
    assert "| 项目 | 本年支出/合计 | 本年支出/基本支出 | 本年支出/项目支出 |" in text
    assert "|---|---:|---:|---:|" in text and "| 合计 | 376.72 | 256.72 | 120.00 |" in text
    assert "![图1：收、支决算总计变动情况](r_files/chart1.png)" in text
    assert "说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。" in text


def test_word_paragraphs_follow_the_document(document, docx_bytes):
    word = Document(io.BytesIO(docx_bytes))
    texts = [p.text for p in word.paragraphs if p.text]
    assert texts[0] == "示例单位2023年度部门决算"  # the cover
    expected = [tighten(p) for p in document.paragraphs()]
    assert all(p in texts for p in expected)
    assert "第一部分 示例单位概况" in texts and "图2：支出决算结构" in texts


def test_word_text_is_escaped_not_markup(docx_bytes):
    word = Document(io.BytesIO(docx_bytes))
    body = "\n".join(p.text for p in word.paragraphs)
    assert "本年 <w:p> 开展项目减少 & “预算” 'x' 减少" in body


def test_word_tables_merged_header_and_cells(docx_bytes):
    word = Document(io.BytesIO(docx_bytes))
    assert len(word.tables) == 2
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["项目", "本年支出", "本年支出", "本年支出"]
    assert [c.text for c in table.rows[1].cells] == ["项目", "合计", "基本支出", "项目支出"]
    assert [c.text for c in table.rows[2].cells] == ["合计", "376.72", "256.72", "120.00"]
    assert table.rows[2].cells[1].paragraphs[0].style.name == "表格数字"


def test_word_images_and_east_asian_fonts(docx_bytes):
    word = Document(io.BytesIO(docx_bytes))
    assert len(word.inline_shapes) == 2
    east_asian = {name: word.styles[name].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") for name in ("正文", "一级标题", "二级标题", "报告标题")}
    assert east_asian == {"正文": "仿宋_GB2312", "一级标题": "黑体", "二级标题": "楷体_GB2312", "报告标题": "方正小标宋简体"}
    assert word.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)  # A4


def test_no_leftover_tags_or_gaps(docx_bytes):
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml").decode()
    for bad in ("{{", "}}", "{%", "None", "nan", "【?】"):
        assert bad not in xml


def test_outputs_are_byte_identical_across_compiles(document, tmp_path):
    first = build_outputs(compile_snippet(REPORT).document, "r", tmp_path, "all" if soffice() else "docx")
    second = build_outputs(compile_snippet(REPORT).document, "r", tmp_path, "all" if soffice() else "docx")
    docx = [p for p in first.files if p.suffix in (".docx", ".md", ".png", ".svg")]
    assert docx and all(first.files[p] == second.files[p] for p in docx)


def _template_with(edit) -> bytes:
    word = Document(io.BytesIO(default_template()))
    edit(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def test_user_template_restyles_without_code(document):
    from docx.oxml.ns import qn

    def restyle(word):
        word.styles["正文"].element.rPr.rFonts.set(qn("w:eastAsia"), "楷体")
        word.sections[0].header.paragraphs[0].text = "{{ department }} 内部审阅稿"

    output = Document(io.BytesIO(render_docx(document, {}, _template_with(restyle))))
    assert output.styles["正文"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"
    assert output.sections[-1].header.paragraphs[0].text == "示例单位 内部审阅稿"  # the cover has none


@pytest.mark.parametrize("tag", ["{{ title.__class__.__mro__ }}", "{{ body.__init__.__globals__ }}", "{{ unknown_tag }}",
                                 "{% import 'os' as os %}", "{{ title"])
def test_template_cannot_run_code(document, tag):
    def poison(word):
        word.add_paragraph(tag)

    with pytest.raises(TemplateError):
        render_docx(document, {}, _template_with(poison))


def test_template_missing_a_style_is_named(document):
    def drop(word):
        style = word.styles["表注"]
        style.element.getparent().remove(style.element)

    with pytest.raises(TemplateError, match="表注"):
        render_docx(document, {}, _template_with(drop))


def test_report_with_errors_writes_nothing(tmp_path):
    source = tmp_path / "bad.rpt"
    source.write_text('report "x" year 2023 unit 万元\npart "p" { para "{未定义}" }\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compile", str(source), "--to", "md", "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "RD101" in result.output


def test_cli_compiles_markdown_with_chart_files(tmp_path):
    source = tmp_path / "r.rpt"
    source.write_text('report "示例单位" year 2023 unit 万元\n' + REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["compile", str(source), "--to", "md", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "r.md").exists() and (tmp_path / "o" / "r_files" / "chart2.svg").exists()
    assert not list((tmp_path / "o").glob(".*.tmp"))


needs_office = pytest.mark.skipif(soffice() is None and not os.environ.get("CI"),
                                  reason="LibreOffice is not installed (CI installs it)")


@needs_office
def test_word_converts_to_pdf_pages(tmp_path, document, docx_bytes):
    from reportdsl.outputs import docx_to_pdf

    pdf = docx_to_pdf(docx_bytes, "r")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) >= 2


def test_pdf_without_libreoffice_says_what_to_install(monkeypatch, document):
    from reportdsl import office, outputs

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(outputs.BuildError, match="apt-get install libreoffice"):
        outputs.docx_to_pdf(b"", "r")


def test_missing_cjk_font_is_a_clear_warning(monkeypatch, document):
    from reportdsl.render import charts

    from reportdsl.render import chart_cache

    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    monkeypatch.setattr(chart_cache, "load", lambda key: None)
    images, warnings = charts.draw_charts(document)
    assert len(images) == 2
    assert warnings == [charts.MISSING_FONT] and "fonts-noto-cjk" in warnings[0]


def _body_xml(docx: bytes) -> bytes:
    """The body, canonical, without what a template has of its own: the relationship ids of the
    pictures, the references to its headers."""
    import re

    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    body = etree.tostring(root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"),
                          method="c14n")
    return re.sub(rb'r:embed="[^"]*"|<w:headerReference[^>]*></w:headerReference>', b"", body)


def _with_header_tag(word):
    word.sections[0].header.paragraphs[0].text = "{{ title }}"


def test_a_template_with_tags_outside_the_body_gets_the_same_body_and_pictures(document, docx_bytes):
    from reportdsl.render.charts import draw_charts

    images, _ = draw_charts(document)
    tagged = render_docx(document, images, _template_with(_with_header_tag))
    word = Document(io.BytesIO(tagged))
    assert len(word.inline_shapes) == 2
    assert word.sections[-1].header.paragraphs[0].text == "示例单位2023年度部门决算"
    assert _body_xml(tagged) == _body_xml(docx_bytes)


def test_the_default_template_is_filled_without_loading_a_template_engine(tmp_path):
    script = ("import sys; from reportdsl.cli import main\n"
              "try:\n    main(['compile', 'r.rpt', '--to', 'docx', '--no-charts', '-o', 'out'])\n"
              "except SystemExit:\n    pass\n"
              "print(sorted(name for name in ('docxtpl', 'docx', 'jinja2') if name in sys.modules))")
    (tmp_path / "r.rpt").write_text('report "示例单位" year 2023 unit 万元\n' + REPORT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert (tmp_path / "out" / "r.docx").exists(), done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_document_properties_name_the_report_once_each(docx_bytes):
    # read with lxml: once docxtpl is imported, python-docx looks for cp: in another namespace
    from lxml import etree

    core = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_bytes)).read("docProps/core.xml"))
    found = {etree.QName(element).localname: element.text for element in core}
    assert len(found) == len(core)  # each property once
    assert (found["title"], found["creator"], found["lastModifiedBy"]) == ("示例单位2023年度部门决算", "示例单位", "示例单位")
    assert found["created"] == found["modified"] == found["lastPrinted"] == "2024-01-01T00:00:00Z"
    assert {etree.QName(element).namespace for element in core.iterfind("{*}lastModifiedBy")} == {
        "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}


def test_the_default_templates_style_ids_read_without_a_parse_are_those_a_parse_finds():
    from reportdsl.render.docx_package import DirectPackage

    trusted = DirectPackage(default_template(), trusted=True)
    assert trusted.style_ids() == DirectPackage(default_template()).style_ids()
    assert trusted.style_ids()["正文"]


def test_the_default_template_has_no_tag_but_the_bodys_so_it_needs_no_inspection():
    from reportdsl.render.docx_package import DirectPackage

    assert DirectPackage(default_template()).only_body_tag()


def test_the_templates_unchanged_parts_come_through_intact_and_the_edited_ones_as_edited(docx_bytes):
    template = zipfile.ZipFile(io.BytesIO(default_template()))
    word = zipfile.ZipFile(io.BytesIO(docx_bytes))
    assert word.testzip() is None
    assert word.read("word/styles.xml") == template.read("word/styles.xml")
    assert word.read("word/document.xml") != template.read("word/document.xml")
    assert {info.date_time for info in word.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert word.namelist()[:len(template.namelist())] == template.namelist()


# The rules of typography.tighten written as the regular expressions they used to be (the CJK classes
# cost milliseconds to compile, so tighten tests the Chinese side in Python instead).
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e\u201c\u201d\u2018\u2019\u2014\u2026"
_LATIN = "0-9A-Za-z%.\\-+"


def _tighten_by_regex(text: str) -> str:
    import re

    text = re.sub(f"(?<=[{_LATIN}】]) +(?=[{_CJK}])", "", re.sub(f"(?<=[{_CJK}]) +(?=[{_LATIN}【])", "", text))
    full = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"}
    text = re.sub(f"(?<=[{_CJK}])[(),:;]|[(),:;](?=[{_CJK}])", lambda m: full[m.group()], text)
    text = re.sub(r"\((?=[0-9][^()]*）)", "（", text)
    return re.sub(r"(?<=（)([^()（）]*)\)", lambda m: m.group(1) + "）", text)


@given(st.text(alphabet=list(" ()，,:;【】中年0129aZ%.-+“”…—（）　！～、") + ["\u9fff", "\u4e00", "\uff5e", "\u303f"],
               max_size=16))
def test_tighten_follows_its_rules_as_regular_expressions_state_them(text):
    assert tighten(text) == _tighten_by_regex(text)


@given(st.text(alphabet=list("中文年增加ab1 ，") + ["\u9fff", "\u4e00", "\u3000"], max_size=16))
def test_doubled_words_are_found_where_a_regex_of_the_cjk_range_finds_them(text):
    import re

    from reportdsl.wording import doubled_chinese

    by_regex = [(m.start(), m.end()) for m in re.finditer(r"([\u4e00-\u9fff]{2,4})\1", text)]
    assert list(doubled_chinese(text)) == by_regex
