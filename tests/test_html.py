"""`--to html`: a standalone, accessible page, deterministic, valid HTML, and readable in a browser."""

from __future__ import annotations

import sys
import subprocess
from pathlib import Path

import html5lib
import pytest

from browser import chromium_page
from reportdsl.outputs import build_outputs
from reportdsl.compiler import compile_file
from reportdsl.render.html import render_html

SAMPLE = "reports/hongshan_2023.rpt"
NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def sample():
    result = compile_file(SAMPLE)
    assert not result.has_errors
    return result


@pytest.fixture(scope="module")
def page_text(sample):
    first_chart = next(b for b in sample.document.blocks if type(b).__name__ == "ChartModel")
    return render_html(sample.document, {first_chart.name: "x_files/chart1.png"})


@pytest.fixture(scope="module")
def tree(page_text):
    # strict: the first parse error (an unclosed tag, a stray end tag, a bad attribute) raises
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(page_text)


def test_the_page_is_well_formed_html5_with_a_language_and_a_title(page_text, tree, sample):
    assert page_text.startswith("<!DOCTYPE html>")
    assert tree.get("lang") == "zh-CN"
    assert tree.find(".//h:title", NS).text == sample.document.title


def test_headings_follow_the_document_outline_without_skipping_levels(tree, sample):
    levels = [int(element.tag[-1]) for element in tree.iter() if element.tag[-2:-1] == "h" and element.tag[-1].isdigit()]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:]))
    headings = [block for block in sample.document.blocks if type(block).__name__ == "Heading" and not block.caption]
    assert len(levels) == len(headings) + 2  # the title and the 目录's own heading


def test_the_cover_and_a_contents_list_linking_to_every_part_and_section(tree, sample, page_text):
    assert tree.find(".//h:header[@class='cover']/h:h1", NS).text == sample.document.title
    links = tree.findall(".//h:nav[@class='contents']//h:a", NS)
    parts_and_sections = [b for b in sample.document.blocks if type(b).__name__ == "Heading" and b.level <= 2]
    assert len(links) == len(parts_and_sections) > 10
    assert links[0].text.startswith("第一部分")
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    assert all(link.get("href")[1:] in ids for link in links)  # a table titled by its section is its anchor
    assert "header.cover {" in page_text.split("@media print", 1)[1] and "break-after: page" in page_text


def test_every_table_has_a_caption_a_unit_line_header_cells_with_scope_and_row_headers(tree, sample):
    tables = tree.findall(".//h:table", NS)
    models = [block for block in sample.document.blocks if type(block).__name__ == "TableModel"]
    assert len(tables) == len(models) > 5
    for table, table_model in zip(tables, models):
        assert table.find("h:caption/h:span[@class='title']", NS).text.endswith(table_model.title)
        if table_model.unit:
            unit_line = table.find("h:caption/h:span[@class='unit']", NS)
            assert "".join(unit_line.itertext()) == "".join(table_model.above) and f"单位：{table_model.unit}" in table_model.above
        header_cells = table.findall("h:thead/h:tr/h:th", NS)
        assert header_cells and all(cell.get("scope") in ("col", "colgroup") for cell in header_cells)
        assert len(table.findall("h:tbody/h:tr", NS)) == len(table_model.rows)
        for row in table.findall("h:tbody/h:tr", NS):
            first = row[0]
            assert first.tag.endswith("td") or first.get("scope") == "row"


def test_table_cells_print_the_models_figures_right_aligned(tree, sample):
    first_model = next(block for block in sample.document.blocks if type(block).__name__ == "TableModel")
    first_row = tree.find(".//h:table/h:tbody/h:tr", NS)
    texts = ["".join(cell.itertext()) for cell in first_row]
    assert texts == [cell.text for cell in first_model.rows[0]]
    numeric = [cell.get("class") == "number" for cell in first_row[1:]]
    assert numeric == [cell.numeric for cell in first_model.rows[0][1:]]


def test_charts_are_figures_with_an_image_alt_text_and_their_data_in_words(tree, sample):
    charts = [block for block in sample.document.blocks if type(block).__name__ == "ChartModel"]
    figures = tree.findall(".//h:figure[@class='chart']", NS)
    assert len(figures) == len(charts) == 4
    image = figures[0].find("h:img", NS)
    assert image is not None and image.get("src") == "x_files/chart1.png"
    assert charts[0].value_texts[0] in image.get("alt")
    assert charts[0].value_texts[-1] in figures[0].find("h:p[@class='chart-data']", NS).text


def test_print_css_starts_each_table_on_a_new_page(page_text):
    print_rules = page_text.split("@media print", 1)[1].split("</style>", 1)[0]
    assert "section.table { break-before: page; }" in print_rules


def test_text_is_escaped_so_a_report_cannot_inject_markup():
    from helpers import compile_snippet

    result = compile_snippet('part "<script>alert(1)</script>" { para "a < b & \\"c\\"" }')
    page = render_html(result.document)
    assert "<script>" not in page and "&lt;script&gt;" in page
    html5lib.HTMLParser(strict=True).parse(page)


def test_compile_to_html_writes_the_page_and_chart_images_byte_identically_twice(tmp_path):
    outputs = []
    for run in ("a", "b"):
        command = [sys.executable, "-m", "reportdsl", "compile", SAMPLE, "--to", "html", "-o", str(tmp_path / run)]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert completed.returncode == 0, completed.stderr
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in (tmp_path / run).rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {Path("hongshan_2023.html"), *(Path(f"hongshan_2023_files/chart{n}.svg") for n in range(1, 5))}
    assert b'src="hongshan_2023_files/chart1.svg"' in outputs[0][Path("hongshan_2023.html")]


def test_the_page_reads_in_chromium_with_its_tables_and_images(sample, tmp_path):
    outputs = build_outputs(sample.document, "hongshan_2023", tmp_path / "out", "html")
    for path, data in outputs.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    with chromium_page(tmp_path / "profile", height=1800) as page:
        page.goto((tmp_path / "out" / "hongshan_2023.html").as_uri())
        assert page.locator("table").count() == len([b for b in sample.document.blocks if type(b).__name__ == "TableModel"])
        widths = page.eval_on_selector_all("figure.chart img", "images => images.map(i => i.naturalWidth)")
        assert len(widths) == 4 and all(width > 100 for width in widths)  # the images beside the page loaded
        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all("section.table", "s => s.map(e => getComputedStyle(e).breakBefore)")
        assert set(breaks) == {"page"}
        page.emulate_media(media="screen")
        page.screenshot(path=str(tmp_path / "hongshan_2023.png"), full_page=False)
    assert (tmp_path / "hongshan_2023.png").stat().st_size > 10_000


def test_the_contents_list_nests_whatever_level_the_document_starts_at():
    from helpers import compile_snippet

    body = ('section "甲" { para "a" }\npart "乙" { section "丙" { para "b" } section "丁" { para "c" } }\n'
            'section "戊" { para "d" }\n')
    page = render_html(compile_snippet(body).document)
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(page)
    nav = tree.find(".//h:nav", NS)
    assert ["".join(a.itertext()) for a in nav.iter("{http://www.w3.org/1999/xhtml}a")] == \
        ["一、甲", "第一部分 乙", "一、丙", "二、丁", "二、戊"]
