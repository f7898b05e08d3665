"""Document -> Word: the template gives the look, this module the content.

The body is built as WordprocessingML elements of named paragraph styles (render/docx_styles.py)
and put in place of the template's `{{p body }}`: straight into the template's package when that
is its only tag (render/docx_package.py), through docxtpl when the template has other tags
(render/docx_tags.py). The template is checked first by render/template_guard.py (no external
links, no entities, bounded size). The saved file is normalised (fixed zip timestamps, fixed
order, document properties from the report) so that the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime
from importlib import resources
from typing import Callable, Optional

from .. import model
from .docx_layout import (Flow, Sections, above_table_xml, new_body, paragraph_xml, parse_xml, picture_xml,
                          toc_entry_xml, update_fields_on_open)
from .docx_styles import STYLES, heading_style, styles_for
from .template_guard import TemplateError, guard_template
from .typography import heading_text, tighten
from .title_lines import cover_lines, title_lines

__all__ = ["TemplateError", "render_docx", "default_template"]

CHART_WIDTH_CM = 14


def default_template(layout: str = "") -> bytes:
    """The packaged template: the layout's own when it ships one (templates/shanghai-2024.docx), else default.docx."""
    templates = resources.files("reportdsl").joinpath("templates")
    own = templates.joinpath(f"{layout}.docx") if layout.replace("-", "").isalnum() else None
    return (own if own is not None and own.is_file() else templates.joinpath("default.docx")).read_bytes()


def open_package(template: bytes, trusted: bool = False):
    """The template's package: edited directly when `{{p body }}` is its only tag, else docxtpl's.
    `trusted`: the default template, which ships inside the package like the code, is not inspected."""
    from .docx_package import DirectPackage
    from .docx_tags import TaggedPackage

    if not trusted:
        guard_template(template)
    try:
        direct = DirectPackage.fits(template, trusted)
    except Exception:  # noqa: BLE001 - a foreign package docxtpl may still open, or refuse in the user's words
        direct = None
    return direct if direct is not None else TaggedPackage(template)


class DocxRenderer:
    def __init__(self, document: model.Document, template: bytes, chart_images: dict[str, bytes],
                 page_numbers: Optional[list[int]] = None, trusted: bool = False):
        self.document = document
        self.package = open_package(template, trusted)
        self.chart_images = chart_images
        self.page_numbers = page_numbers or []
        self.pending_caption: Optional[model.Heading] = None  # a heading printed as its table's caption
        self.pictures = 0
        self.dispatch: dict[type, Callable] = {
            model.Heading: self.heading,
            model.Paragraph: self.paragraph,
            model.TableModel: self.table,
            model.ChartModel: self.chart,
        }

    def render(self) -> bytes:
        self._require_styles()
        self.sections = Sections(self.package.document)
        self.body = new_body()
        self.flow = Flow(self.body)
        self.cover()
        self.contents()
        for block in self.document.blocks:
            self.dispatch[type(block)](block)
        tags = {"title": self.document.title, "department": self.document.department, "year": self.document.year,
                "unit": self.document.unit}
        return self.package.finish(self.body, self._properties(), update_fields_on_open, tags)

    def _require_styles(self) -> None:
        self.style_ids = self.package.style_ids()
        missing = [spec.name for spec in STYLES if spec.name not in self.style_ids and not spec.fallback]
        if missing:
            raise TemplateError(f"the Word template lacks the paragraph style(s) {', '.join(missing)}; "
                                "see docs/templates.md")
        for spec in STYLES:
            self.style_ids.setdefault(spec.name, self.style_ids[spec.fallback or spec.name])

    def _properties(self) -> dict:
        moment = datetime.datetime(self.document.year + 1 if self.document.year else 2000, 1, 1)
        return {"dc:title": self.document.title, "dc:subject": "部门决算", "dc:creator": self.document.department,
                "cp:lastModifiedBy": self.document.department, "cp:revision": 1, "dcterms:created": moment,
                "dcterms:modified": moment, "cp:lastPrinted": moment}

    def add(self, text: str, style: str, **layout) -> None:
        """A paragraph; the text comes typeset (typography.tighten) from the caller."""
        self.flow.add(paragraph_xml(text, self.style_ids[style], **layout), heading=bool(layout.get("heading")))

    def per_line(self, style: str) -> int:
        """Chinese characters a line of a centred style holds."""
        size = next(spec.size for spec in styles_for(self.document.layout) if spec.name == style)
        return int(self.sections.page.portrait // (size * 20))

    def title_lines(self, text: str, style: str) -> list[str]:
        return title_lines(text, tighten(self.document.department), self.per_line(style))

    # ---- cover and 目录 ------------------------------------------------------------------------

    def cover(self) -> None:
        year = f"{self.document.year}年度" if self.document.year is not None else ""
        lines = cover_lines(tighten(self.document.department), year, self.per_line("封面标题"))
        self.add("", "封面标题", lines=lines, section=self.sections.cover())
        self.flow.new_page_started()

    def contents(self) -> None:
        """The 目录: a TOC field whose entries and page numbers are written out (the PDF's come from
        a first conversion), marked dirty so that Word brings them up to date when it opens."""
        entries = contents_headings(self.document)
        if not entries:
            return
        self.add("目  录", "目录标题")
        for index, heading in enumerate(entries):
            page = str(self.page_numbers[index]) if index < len(self.page_numbers) else ""
            self.flow.add(toc_entry_xml(heading_text(heading), page, self.style_ids[f"toc {heading.level}"],
                                        self.sections.page.portrait, first=index == 0,
                                        last=index == len(entries) - 1))

    # ---- blocks --------------------------------------------------------------------------------

    def heading(self, heading: model.Heading) -> None:
        if heading.caption:
            self.pending_caption = heading  # printed once, as its table's caption
            return
        style = heading_style(heading.level)
        if heading.level == 1:
            self.add(heading_text(heading), style, new_page=self.flow.need_break(), heading=True,
                     lines=self.title_lines(heading_text(heading), style))
        else:
            self.add(heading_text(heading), style, heading=True)

    def paragraph(self, paragraph: model.Paragraph) -> None:
        self.add(tighten(paragraph.full_text), "正文")

    def table(self, table: model.TableModel) -> None:
        from .docx_table import Page, needs_landscape, table_xml

        caption, self.pending_caption = self.pending_caption, None
        landscape = needs_landscape(table, self.sections.page)
        own_pages = caption is not None or landscape  # a standard or a wide table: a section of its own
        page = self.sections.page if own_pages else Page(self.sections.body_width, self.sections.page.landscape)
        if own_pages:
            self.flow.end_section_before_page(self.sections.portrait())
        outline = None if caption is None else caption.level - 1
        self.add(tighten(table.title), "表格标题", outline=outline, keep_next=True,
                 lines=self.title_lines(tighten(table.title), "表格标题"))
        if any(table.above):
            width = page.landscape if landscape else page.portrait
            self.flow.add(above_table_xml(*map(tighten, table.above), self.style_ids["表格单位"], width))
        self.flow.add(parse_xml(table_xml(table, self.style_ids, page)))
        for note in table.notes:
            self.add(tighten(note), "表注")
        if own_pages:
            if not table.notes:
                self.flow.add(paragraph_xml("", self.style_ids["表注"], tiny=True))
            self.flow.end_section(self.sections.table(landscape))

    def chart(self, chart: model.ChartModel) -> None:
        from .docx_package import png_size

        image = self.chart_images.get(chart.name)
        if image is not None:
            self.pictures += 1
            self.flow.add(picture_xml(self.style_ids["图"], self.package.add_image(image), png_size(image),
                                      CHART_WIDTH_CM, self.pictures))
        self.add(tighten(f"图{chart.number}：{chart.title}"), "图题")


def contents_headings(document: model.Document) -> list[model.Heading]:
    """What the 目录 lists: the parts and their sections (a table's section among them)."""
    return [block for block in document.blocks if isinstance(block, model.Heading) and block.level <= 2]


def contents_entries(document: model.Document) -> list[tuple[str, str]]:
    """Each 目录 entry's text, and the text of the paragraph that stands for it in the body."""
    return [(heading_text(heading), tighten(heading.title) if heading.caption else heading_text(heading))
            for heading in contents_headings(document)]


def render_docx(document: model.Document, chart_images: dict[str, bytes], template: Optional[bytes] = None,
                page_numbers: Optional[list[int]] = None) -> bytes:
    """The Word file; `page_numbers` are the pages of the 目录's entries, when known (a PDF pass)."""
    if template is None:
        return DocxRenderer(document, default_template(document.layout), chart_images, page_numbers,
                            trusted=True).render()
    return DocxRenderer(document, template, chart_images, page_numbers).render()
