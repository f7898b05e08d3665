"""Document -> Word, through docxtpl: the template gives the look, this module the content.

The body is built as a docxtpl sub-document of named paragraph styles (render/docx_styles.py) and
put into the template's `{{p body }}`; the template is rendered in a sandboxed Jinja environment
with autoescape on. The saved file is normalised (fixed zip timestamps, fixed order, document
properties from the report) so that the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
from importlib import resources
from typing import Callable, Optional

from .. import model
from ..output import normalize_zip
from .docx_styles import STYLES, heading_style

class TemplateError(Exception):
    """A user's Word template cannot be used; the message says why and what to fix."""


def default_template() -> bytes:
    return resources.files("reportdsl").joinpath("templates/default.docx").read_bytes()


def sandboxed_environment():
    """Jinja for a template that came by e-mail: no attribute games, no mutation, no silent blanks.

    StrictUndefined makes an unknown tag, and the sandbox's refusal of an unsafe attribute such as
    __class__, an error instead of an empty string."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


class DocxRenderer:
    def __init__(self, document: model.Document, template: bytes, chart_images: dict[str, bytes]):
        from docxtpl import DocxTemplate

        self.document = document
        self.template = DocxTemplate(io.BytesIO(template))
        self.chart_images = chart_images
        self.dispatch: dict[type, Callable] = {
            model.Heading: self.heading,
            model.Paragraph: self.paragraph,
            model.TableModel: self.table,
            model.ChartModel: self.chart,
        }

    def render(self) -> bytes:
        self._require_styles()
        self.body = self.template.new_subdoc()
        for block in self.document.blocks:
            self.dispatch[type(block)](block)
        context = {"title": self.document.title, "department": self.document.department,
                   "year": self.document.year, "unit": self.document.unit, "body": self.body}
        self._render_template(context)
        self._set_properties()
        buffer = io.BytesIO()
        self.template.save(buffer)
        return normalize_zip(buffer.getvalue())

    def _require_styles(self) -> None:
        docx = self.template.get_docx()
        self.style_ids = {style.name: style.style_id for style in docx.styles}
        missing = [spec.name for spec in STYLES if spec.name not in self.style_ids]
        if missing:
            raise TemplateError(f"the Word template lacks the paragraph style(s) {', '.join(missing)}; "
                                "see docs/templates.md")

    def _render_template(self, context: dict) -> None:
        from jinja2 import TemplateError as JinjaError
        from jinja2.exceptions import SecurityError

        try:
            self.template.render(context, sandboxed_environment(), autoescape=True)
        except SecurityError as exc:
            raise TemplateError(f"the Word template tried something it may not do: {exc}") from None
        except JinjaError as exc:
            raise TemplateError(f"the Word template has a broken or unknown tag: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - an untrusted template may fail in any way
            raise TemplateError(f"the Word template cannot be rendered ({type(exc).__name__}: {exc})") from None

    def _set_properties(self) -> None:
        properties = self.template.docx.core_properties  # get_docx() would reload the unrendered template
        properties.title = self.document.title
        properties.subject = "部门决算"
        properties.author = properties.last_modified_by = self.document.department
        properties.revision = 1
        moment = datetime.datetime(self.document.year + 1 if self.document.year else 2000, 1, 1)
        properties.created = properties.modified = moment
        properties.last_printed = moment

    def add(self, text: str, style: str):
        paragraph = self.body.add_paragraph(text)
        paragraph._p.style = self.style_ids[style]
        return paragraph

    # ---- blocks --------------------------------------------------------------------------------

    def heading(self, heading: model.Heading) -> None:
        self.add(heading.text, heading_style(heading.level))

    def paragraph(self, paragraph: model.Paragraph) -> None:
        self.add(paragraph.full_text, "正文")

    def table(self, table: model.TableModel) -> None:
        self.add(table.title, "表格标题")
        if table.unit:
            self.add(f"单位：{table.unit}", "表格单位")
        from docx.table import _Cell

        # The header rows are merged while they are the whole table, then the body is added row by row
        # through the XML: python-docx's cell look-ups recompute the whole grid on every call.
        grid = self.body.add_table(rows=len(table.header), cols=max(table.width, 1))
        set_table_borders(grid)
        weights = column_weights(table)
        widths = set_column_widths(grid, weights)
        self._header(grid, table)
        for row in table.rows or ((),):
            tr = grid.add_row()._tr
            for tc, value, width in zip(tr.tc_lst, row, widths):
                tc.width = width
                write_cell(_Cell(tc, grid), value.text, self.style_ids["表格数字" if value.numeric else "表格文字"])
        for note in table.notes:
            self.add(note, "表注")

    def _header(self, grid, table: model.TableModel) -> None:
        occupied: set[tuple[int, int]] = set()
        for row_index, header_row in enumerate(table.header):
            column = 0
            for cell in header_row:
                while (row_index, column) in occupied:
                    column += 1
                first = grid.cell(row_index, column)
                last = grid.cell(row_index + cell.rowspan - 1, column + cell.colspan - 1)
                merged = first.merge(last) if (cell.rowspan, cell.colspan) != (1, 1) else first
                write_cell(merged, cell.text, self.style_ids["表格表头"])
                occupied.update((r, c) for r in range(row_index, row_index + cell.rowspan)
                                for c in range(column, column + cell.colspan))
                column += cell.colspan

    def chart(self, chart: model.ChartModel) -> None:
        from docx.shared import Cm

        image = self.chart_images.get(chart.name)
        if image is not None:
            self.add("", "图").add_run().add_picture(io.BytesIO(image), width=Cm(14))
        self.add(f"图 {chart.number}：{chart.title}", "图题")


def write_cell(cell, text: str, style_id: str) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id  # by id: python-docx's look-up by name scans every style each time
    if text:
        paragraph.add_run(text)


TEXT_WIDTH_CM = 15.6  # A4 less the default template's margins


def column_weights(table: model.TableModel) -> list[int]:
    """Relative column widths: numbers never wrap, long names wrap past 20 characters' width."""
    from ..diagnostics import display_width

    weights = [6] * max(table.width, 1)
    for row in table.rows:
        for index, cell in enumerate(row[: len(weights)]):
            unbroken = cell.numeric or cell.text.isdigit()  # amounts and classification codes
            need = display_width(cell.text) + 3 if unbroken else min(display_width(cell.text), 16)
            weights[index] = max(weights[index], need)
    for index, cell in enumerate(table.header[-1][: len(weights)] if table.header else ()):
        weights[index] = max(weights[index], min(display_width(cell.text), 8))
    return weights


def set_column_widths(table, weights: list[int]) -> list:
    from docx.shared import Cm

    table.autofit = False
    total = sum(weights)
    widths = [Cm(TEXT_WIDTH_CM * weight / total) for weight in weights]
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        grid_column.w = width  # LibreOffice lays out by the grid, Word by the cells
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths):
            tc.width = width
    return widths


def set_table_borders(table) -> None:
    """Single lines around every cell, set on the table itself so that any template works."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    properties.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins: wide tables keep their numbers on one line
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "57")  # twentieths of a point: 0.1 cm
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)


def render_docx(document: model.Document, chart_images: dict[str, bytes], template: Optional[bytes] = None) -> bytes:
    return DocxRenderer(document, template if template is not None else default_template(), chart_images).render()
