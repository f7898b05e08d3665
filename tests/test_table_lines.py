"""The line over a table (编制单位 on the left, 单位 on the right) as the layout words it, in every
output; a table with no `above` gets the unit of its amounts on the right, as before."""

from __future__ import annotations

import io
import json
from pathlib import Path

from docx import Document

from helpers import compile_snippet, document_of
from reportdsl.compiler import compile_file
from reportdsl.fmt_command import formatted
from reportdsl.render.docx import render_docx
from reportdsl.render.html import render_html
from reportdsl.render.json import render_json
from reportdsl.render.markdown import render_markdown
from reportdsl.source import SourceFile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

REPORT = '''
fact 总计 = 376.72
part "{year} 年度部门决算表" {
  table t1 "收入支出决算总表" {
    columns ("项目", "决算数")
    above left "编制单位：{department}" right "单位：{unit}"
    row ("合计", 总计)
  }
  table t2 "支出决算表" {
    columns ("项目", "决算数")
    above right "金额单位：{unit}"
    row ("合计", 总计)
  }
  table t3 "收入决算表" {
    columns ("项目", "决算数")
    row ("合计", 总计)
  }
  table t4 "重点工作完成情况表" {
    columns ("序号", "工作内容")
    row (1, "召开大会")
  }
}
'''


def tables(document) -> dict:
    return {block.name: block for block in document.blocks if hasattr(block, "rows")}


def test_the_layout_words_the_line_over_each_table_and_a_table_without_one_gets_its_unit():
    by_name = tables(document_of(REPORT))
    assert by_name["t1"].above == ("编制单位：示例单位", "单位：万元")
    assert by_name["t2"].above == ("", "金额单位：万元")
    assert by_name["t3"].above == ("", "单位：万元")  # no `above`: the unit of its amounts
    assert by_name["t4"].above == ("", "")  # no amounts, no unit


def test_word_puts_the_two_sides_on_one_line_the_right_one_at_the_text_edge():
    word = Document(io.BytesIO(render_docx(document_of(REPORT), {})))
    paragraphs = [p for p in word.paragraphs if p.style.name == "表格单位"]
    assert [p.text for p in paragraphs] == ["编制单位：示例单位\t单位：万元", "金额单位：万元", "单位：万元"]
    both = paragraphs[0]._p.pPr
    assert both.find(f"{W}jc").get(f"{W}val") == "left"
    tab = both.find(f"{W}tabs/{W}tab")
    table_width = int(word.tables[0]._tbl.tblPr.find(f"{W}tblW").get(f"{W}w"))
    assert tab.get(f"{W}val") == "right" and abs(int(tab.get(f"{W}pos")) - table_width) < 20
    assert all(p._p.pPr.find(f"{W}keepNext") is not None for p in paragraphs)  # stays with its table


def test_markdown_html_and_json_print_the_same_line():
    document = document_of(REPORT)
    markdown = render_markdown(document)
    assert "**收入支出决算总表**\n\n编制单位：示例单位\u3000\u3000单位：万元\n\n| 项目 |" in markdown
    assert "**重点工作完成情况表**\n\n| 序号 |" in markdown
    html = render_html(document)
    assert '<span class="unit"><span class="prepared">编制单位：示例单位</span>单位：万元</span>' in html
    [first, *_] = [b for b in json.loads(render_json(document, "t.rpt", ()))["document"] if b["type"] == "table"]
    assert first["above"] == {"left": "编制单位：示例单位", "right": "单位：万元"}


def test_fmt_keeps_the_line_as_written():
    text = ('report "示例" year 2023 unit 万元\nfact a = 1\npart "表" {\n  table t "表" {\n    columns ("项目", "金额")\n'
            '    above left "编制单位：{department}" right "单位：{unit}"\n    row ("合计", a)\n  }\n  table u "表" {\n'
            '    columns ("项目", "金额")\n    above right "单位：元"\n    row ("合计", a)\n  }\n}\n')
    assert formatted(SourceFile("r.rpt", text)) == text


def test_a_line_without_a_side_is_a_syntax_error_and_a_second_line_or_empty_note_is_rd122():
    def table(statements: str):
        return compile_snippet(f'part "p" {{ table t "t" {{ columns ("a") {statements} }} }}')

    assert table('above row (1)').has_errors and table('above right "x" left "y" row (1)').has_errors
    assert [d.code for d in table('above right "x" above right "y" row (1)').diagnostics] == ["RD122"]
    assert [d.code for d in table('row (1) empty "x" empty "y"').diagnostics] == ["RD122"]


def test_a_report_that_retitles_a_layout_table_keeps_the_layouts_line(tmp_path: Path):
    (tmp_path / "mini.rpt").write_text(
        'layout "mini" "示例" unit 万元\nfact 总计 = ?\npart 表 "决算表" {\n  table t1 "收入支出决算总表" {\n'
        '    columns ("项目", "决算数")\n    above left "编制单位：{department}" right "单位：{unit}"\n'
        '    row ("合计", 总计)\n  }\n}\n', encoding="utf-8")
    report = 'report "某局" year 2023 unit 万元 layout "mini.rpt"\nfact 总计 = 5\n'
    (tmp_path / "r.rpt").write_text(report + 'table t1 "收支总表" {}\n', encoding="utf-8")
    assert tables(compile_file(str(tmp_path / "r.rpt")).document)["t1"].above == ("编制单位：某局", "单位：万元")
    (tmp_path / "s.rpt").write_text(report + 'table t1 "收支总表" {\n  above right "单位：万元"\n}\n', encoding="utf-8")
    assert tables(compile_file(str(tmp_path / "s.rpt")).document)["t1"].above == ("", "单位：万元")


def test_the_shipped_layouts_print_the_lines_of_their_published_tables():
    reports = Path(__file__).parent.parent / "reports"
    hubei = tables(compile_file(str(reports / "hongshan_2023.rpt")).document)
    assert all(hubei[f"t{n}"].above == ("编制单位：武汉市洪山区科学技术协会", "单位：万元") for n in range(1, 10))
    shanghai = tables(compile_file(str(reports / "putuo_social_work_2024.rpt")).document)
    assert all(shanghai[f"t{n}"].above == ("", "单位：万元") for n in range(1, 10))  # as the Putuo PDF
