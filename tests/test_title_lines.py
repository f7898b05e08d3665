"""Titles break where their meaning breaks, as the published cover does (中共上海市普陀区委 /
社会工作部2024年度 / 部门决算), and fall back to lines of equal length when the meaning gives no place."""

from __future__ import annotations

import io

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from helpers import compile_snippet
from reportdsl.render.docx import render_docx
from reportdsl.render.title_lines import cover_lines, title_lines, width

PUTUO = "中共上海市普陀区委社会工作部"


@pytest.mark.parametrize("department, year, lines", [
    (PUTUO, "2024年度", ["中共上海市普陀区委", "社会工作部2024年度", "部门决算"]),  # as the published cover
    ("武汉市洪山区科学技术协会", "2023年度", ["武汉市洪山区科学技术协会", "2023年度部门决算"]),
    ("上海市普陀区市场监督管理局", "2024年度", ["上海市普陀区", "市场监督管理局2024年度", "部门决算"]),
    ("某局", "2024年度", ["某局2024年度部门决算"]),
    ("广西壮族自治区南宁市青秀区人力资源和社会保障局", "2024年度",
     ["广西壮族自治区南宁市青秀", "区人力资源和社会保障局", "2024年度部门决算"]),  # no region break fits: equal lines
])
def test_the_cover_breaks_after_the_department_or_its_region_then_the_year(department, year, lines):
    assert cover_lines(department, year, 12) == lines


@pytest.mark.parametrize("title, lines", [
    (f"第二部分 {PUTUO}2024年度部门决算表", [f"第二部分 {PUTUO}", "2024年度部门决算表"]),
    (f"第三部分 {PUTUO}2024年度部门决算情况说明", [f"第三部分 {PUTUO}", "2024年度部门决算情况说明"]),
    (f"第一部分 {PUTUO}概况", [f"第一部分 {PUTUO}概况"]),  # fits: one line
    ("第四部分 财政拨款“三公”经费支出决算情况说明及其他需要说明的事项", None),  # no department: equal lines
])
def test_a_heading_breaks_after_the_department_it_names(title, lines):
    expected = lines or [title[:17], title[17:]]
    assert title_lines(title, PUTUO, 27) == expected


@given(department=st.text(alphabet="中共上海市普陀区委社会工作部局县省", min_size=1, max_size=30),
       per_line=st.integers(min_value=6, max_value=30))
def test_cover_lines_keep_the_title_and_fit_the_line(department, per_line):
    lines = cover_lines(department, "2024年度", per_line)
    assert "".join(lines) == f"{department}2024年度部门决算"
    assert all(width(line) <= per_line for line in lines)


def test_the_word_cover_carries_the_lines_as_breaks():
    result = compile_snippet('part "p" { para "正文。" }', header=f'report "{PUTUO}" year 2024 unit 万元\n')
    word = Document(io.BytesIO(render_docx(result.document, {})))
    assert word.paragraphs[0].text == "中共上海市普陀区委\n社会工作部2024年度\n部门决算"
