"""The PDF of each sample report, read back page by page (pdfplumber), has the structure of a
published disclosure: a cover, a 目录 whose page numbers are where each entry really starts, parts
and tables starting on new pages, wide tables on landscape pages with their header repeated, and
no page ending with a heading. One compile per report, shared by the tests (conversions are slow)."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

import pdf_glyphs

from reportdsl import model
from reportdsl.compiler import compile_file
from reportdsl.outputs import build_outputs, soffice
from reportdsl.render.docx import contents_headings
from reportdsl.render.docx_table import needs_landscape
from reportdsl.render.typography import heading_text, tighten

pdfplumber = pytest.importorskip("pdfplumber")
pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")

REPORTS = Path(__file__).parent.parent / "reports"
NAME_COLUMNS = ("科目名称", "项目")  # 项目: the rows of tables 1 and 4
TOC_LINE = re.compile(r"^(.*?)\s*(?:\.{2,}|…+)\s*(\d+)$")


class Compiled:
    def __init__(self, name: str):
        result = compile_file(str(REPORTS / name))
        assert not result.has_errors
        self.document = result.document
        outputs = build_outputs(self.document, "r", Path("out"), "pdf", charts=False)
        self.pdf = outputs.files[Path("out/r.pdf")]
        self.warnings = outputs.warnings
        with pdfplumber.open(io.BytesIO(self.pdf)) as pdf:
            self.pages = [Page(page) for page in pdf.pages]
            self.body_sizes, self.body_pitches = body_measures(pdf.pages[2:])
            # every cell of every ruled table, its printed lines joined by "\n"
            self.cells = [text for page in pdf.pages for table in page.extract_tables()
                          for row in table for text in row if text]

    def headings(self) -> list[model.Heading]:
        return [b for b in self.document.blocks if isinstance(b, model.Heading)]

    def captioned_tables(self) -> list[model.TableModel]:
        blocks = self.document.blocks
        return [table for heading, table in zip(blocks, blocks[1:])
                if isinstance(heading, model.Heading) and heading.caption]

    def contents(self) -> list[tuple[str, int]]:
        """The 目录's lines: (entry, page number printed)."""
        entries, wrapped = [], ""  # a long entry wraps: its first line has no page number
        for page in self.pages[1:4]:
            if not any(TOC_LINE.match(line) for line in page.content):
                break  # past the 目录
            for line in page.content:
                match = TOC_LINE.match(wrapped + line)
                if match:
                    entries.append((match.group(1), int(match.group(2))))
                wrapped = "" if match or line.replace(" ", "") == "目录" else wrapped + line
        return entries

    def first_page_with(self, text: str, start: int) -> int:
        for number in range(start, len(self.pages) + 1):
            if any(line == text.replace(" ", "") for line in self.pages[number - 1].joined()):
                return number
        return 0


def body_measures(pages) -> tuple[Counter, Counter]:
    """The size of each character, and the distance between the tops of successive lines, on the pages
    without a table: the body text's size and pitch are the most common ones."""
    sizes, pitches = Counter(), Counter()
    for page in pages:
        if len(page.lines) + len(page.rects) > 4:
            continue
        tops = sorted({round(char["top"], 1) for char in page.chars if not char["text"].isspace()})
        sizes.update(round(char["size"], 1) for char in page.chars)
        pitches.update(round(below - above, 1) for above, below in zip(tops, tops[1:]))
    return sizes, pitches


class Page:
    def __init__(self, page):
        text = page.extract_text() or ""
        self.lines = [line.strip() for line in text.splitlines() if line.strip()]
        self.landscape = page.width > page.height
        self.ruled = len(page.lines) + len(page.rects) > 4

    @property
    def footer(self) -> str:
        return self.lines[-1] if self.lines else ""

    @property
    def content(self) -> list[str]:
        return self.lines[:-1] if self.footer.isdigit() else self.lines

    def joined(self) -> list[str]:
        """Lines, and each line joined with the next (a title wrapped onto two lines)."""
        lines = [line.replace(" ", "") for line in self.content]
        return lines + [a + b for a, b in zip(lines, lines[1:])]


@pytest.fixture(scope="module", params=["putuo_social_work_2024.rpt", "hongshan_2023.rpt"])
def compiled(request) -> Compiled:
    return Compiled(request.param)


def test_the_cover_is_page_one_with_the_title_and_no_page_number(compiled):
    cover = "".join(compiled.pages[0].lines).replace(" ", "")  # the gap before a figure reads as a space
    assert cover == tighten(compiled.document.title)
    assert compiled.pages[1].lines[0].replace(" ", "") == "目录"
    assert all(page.footer == str(number) for number, page in enumerate(compiled.pages[1:], start=2))


def test_the_contents_lists_every_part_and_section_at_the_page_where_it_starts(compiled):
    contents = compiled.contents()
    expected = [heading_text(heading) for heading in contents_headings(compiled.document)]
    assert [entry.replace(" ", "") for entry, _ in contents] == [entry.replace(" ", "") for entry in expected]
    start = 2
    for heading, (_, printed) in zip(contents_headings(compiled.document), contents):
        shown = tighten(heading.title) if heading.caption else heading_text(heading)
        found = compiled.first_page_with(shown, start)
        assert found == printed, f"{shown}: the 目录 says page {printed}, it starts on page {found}"
        start = found


def test_each_part_starts_a_page(compiled):
    for heading in compiled.headings():
        if heading.level == 1:
            page = compiled.first_page_with(heading_text(heading), 3)
            assert heading_text(heading).replace(" ", "").startswith(compiled.pages[page - 1].content[0].replace(" ", ""))


def test_each_table_starts_a_page_landscape_when_wide_with_its_header_on_every_page(compiled):
    parts = {heading_text(h).replace(" ", "") for h in compiled.headings() if h.level == 1}
    tables = compiled.captioned_tables()
    assert len(tables) >= 9
    starts, start = [], 3
    for table in tables:
        starts.append(compiled.first_page_with(tighten(table.title), start))
        start = starts[-1]
    ends = starts[1:] + [compiled.first_page_with(max(parts, key=len), starts[-1]) or len(compiled.pages) + 1]
    for table, first, following in zip(tables, starts, ends):
        page = compiled.pages[first - 1]
        top = page.content[0].replace(" ", "")
        assert top == tighten(table.title) or any(part.startswith(top) for part in parts), (table.title, top)
        assert page.landscape == needs_landscape(table), table.title
        header = table.column_paths()[-1][0][:4]  # a long header title is broken into lines
        for number in range(first + 1, following):
            if compiled.pages[number - 1].ruled:  # the table goes on: its header row again at the top
                assert header in "".join(compiled.pages[number - 1].content[:4]), (table.title, number)


def test_a_name_in_a_table_wraps_at_most_once(compiled):
    """科目名称 and the 项目 of tables 1 and 4, read back from the PDF's ruled cells: two lines at most."""
    names = {cell.text.replace(" ", "") for table in compiled.document.blocks if isinstance(table, model.TableModel)
             for row in table.rows for path, cell in zip(table.column_paths(), row)
             if path and path[-1] in NAME_COLUMNS and cell.text}
    printed = {}
    for text in compiled.cells:
        joined = text.replace("\n", "").replace(" ", "")
        if joined in names:
            printed[joined] = max(printed.get(joined, 0), text.count("\n") + 1)
    assert len(printed) >= 0.9 * len(names), sorted(names - set(printed))  # found in the PDF, nearly all
    assert {name: lines for name, lines in printed.items() if lines > 2} == {}


def test_each_table_has_the_line_its_layout_puts_over_it(compiled):
    tables = compiled.captioned_tables()
    start = 3
    for table in tables:
        start = compiled.first_page_with(tighten(table.title), start)
        above = "".join(tighten(side) for side in table.above)
        assert not above or above in compiled.pages[start - 1].joined()[:6], (table.title, above)
    assert sum(bool(table.above[1]) for table in tables) >= 9  # 单位 over the nine standard tables


def test_the_cover_breaks_where_its_meaning_breaks(compiled):
    from reportdsl.render.title_lines import cover_lines

    document = compiled.document
    expected = cover_lines(tighten(document.department), f"{document.year}年度", 12)  # 36 pt on a 15.6 cm line
    assert [line.replace(" ", "") for line in compiled.pages[0].lines] == expected


def test_wide_tables_are_landscape_as_published(compiled):
    assert any(page.landscape for page in compiled.pages)
    assert not compiled.pages[0].landscape and not compiled.pages[1].landscape


def test_no_page_ends_with_a_heading(compiled):
    titles = [heading_text(h).replace(" ", "") for h in compiled.headings() if not h.caption]
    titles += [tighten(t.title) for t in compiled.captioned_tables()]
    for number, page in enumerate(compiled.pages[2:-1], start=3):  # the last may end with an empty section
        last = page.content[-1].replace(" ", "") if page.content else ""
        assert not any(last and title.startswith(last) for title in titles), (number, last)


def test_missing_fonts_are_replaced_by_kind_and_named_once(compiled):
    [said] = [w for w in compiled.warnings if w.startswith("PDF: fonts")] or [""]
    installed = __import__("reportdsl.render.pdf", fromlist=["x"]).installed_families() or set()
    if "仿宋_GB2312" not in installed and "Noto Serif CJK SC" in installed:
        assert "仿宋_GB2312 → Noto Serif CJK SC" in said and "黑体 → Noto Sans CJK SC" in said


def test_the_body_has_the_size_and_line_pitch_its_province_publishes(compiled):
    """Putuo's published PDF: 15 pt on a 31.2 pt pitch (pdfplumber); Hubei's: 三号 (16 pt) on 28 pt."""
    size, pitch = {"shanghai-2024": (15, 31.2), "hubei": (16, 28)}[compiled.document.layout]
    assert compiled.body_sizes.most_common(1)[0][0] == size
    assert abs(compiled.body_pitches.most_common(1)[0][0] - pitch) <= 0.2, compiled.body_pitches.most_common(3)


def test_chinese_text_is_drawn_with_the_simplified_chinese_glyphs_never_the_japanese_ones(compiled):
    """The embedded font is named NotoSerifCJKjp whichever face drew it (see pdf_glyphs): the glyphs decide."""
    if not pdf_glyphs.collection_files():
        pytest.skip("the Noto CJK collections are not installed")
    faces = pdf_glyphs.faces_drawn(compiled.pdf)
    assert faces["jp"] == 0 and faces["other"] == 0 and faces["sc"] >= 50, faces


def test_the_glyph_check_tells_a_japanese_face_from_a_chinese_one(monkeypatch):
    from helpers import compile_snippet
    from reportdsl.render import pdf as finish

    if not pdf_glyphs.collection_files():
        pytest.skip("the Noto CJK collections are not installed")
    monkeypatch.setattr(finish, "SERIF_FACES", ("Noto Serif CJK JP",))
    document = compile_snippet('part "直角骨" { section "述说" { para "直角骨述，共 2 项。" } }').document
    pdf = build_outputs(document, "r", Path("out"), "pdf", charts=False).files[Path("out/r.pdf")]
    assert pdf_glyphs.faces_drawn(pdf)["jp"] >= 4


def test_two_compiles_give_the_same_pdf_bytes():
    from helpers import compile_snippet

    document = compile_snippet('part "概况" { section "职能" { para "共 2 项。" } }').document
    first, second = (build_outputs(document, "r", Path("out"), "pdf", charts=False).files[Path("out/r.pdf")]
                     for _ in range(2))
    assert first == second and first.startswith(b"%PDF")
