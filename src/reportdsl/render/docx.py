"""Document -> Word, through docxtpl: the template gives the look, this module the content.

The body is built as a docxtpl sub-document of named paragraph styles (render/docx_styles.py) and
put into the template's `{{p body }}` as XML text; the template is checked and rendered by
render/template_guard.py (inert values, listed tags only, no external links). The saved file is normalised (fixed zip timestamps, fixed order, document
properties from the report) so that the same report always gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
from importlib import resources
from typing import Callable, Optional

from .. import model
from .docx_styles import STYLES, heading_style
from .docx_zip import normalize_zip
from .template_guard import TemplateError, check_rendered, guard_template, inert_context, template_environment

__all__ = ["TemplateError", "render_docx", "default_template"]


def default_template() -> bytes:
    return resources.files("reportdsl").joinpath("templates/default.docx").read_bytes()


class DocxRenderer:
    def __init__(self, document: model.Document, template: bytes, chart_images: dict[str, bytes]):
        from docxtpl import DocxTemplate

        self.document = document
        self.template = DocxTemplate(io.BytesIO(guard_template(template)))
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
        context = inert_context(self.document.title, self.document.department, self.document.year,
                                self.document.unit, str(self.body))
        self._render_template(context)
        self._set_properties()
        buffer = io.BytesIO()
        self.template.save(buffer)
        rendered = normalize_zip(buffer.getvalue())
        check_rendered(rendered)
        return rendered

    def _require_styles(self) -> None:
        try:
            docx = self.template.get_docx()
        except Exception as exc:  # noqa: BLE001 - python-docx may fail in any way on a foreign file
            raise TemplateError(f"the Word template cannot be opened ({type(exc).__name__}: {exc})") from None
        self.style_ids = {style.name: style.style_id for style in docx.styles}
        missing = [spec.name for spec in STYLES if spec.name not in self.style_ids]
        if missing:
            raise TemplateError(f"the Word template lacks the paragraph style(s) {', '.join(missing)}; "
                                "see docs/templates.md")

    def _render_template(self, context: dict) -> None:
        from jinja2 import TemplateError as JinjaError
        from jinja2.exceptions import SecurityError

        try:
            self.template.render(context, template_environment(), autoescape=True)
        except TemplateError:
            raise
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
        from docx.oxml import parse_xml

        from .docx_table import table_xml

        self.add(table.title, "表格标题")
        if table.unit:
            self.add(f"单位：{table.unit}", "表格单位")
        self.body.subdocx.element.body._insert_tbl(parse_xml(table_xml(table, self.style_ids)))
        for note in table.notes:
            self.add(note, "表注")

    def chart(self, chart: model.ChartModel) -> None:
        from docx.shared import Cm

        image = self.chart_images.get(chart.name)
        if image is not None:
            self.add("", "图").add_run().add_picture(io.BytesIO(image), width=Cm(14))
        self.add(f"图 {chart.number}：{chart.title}", "图题")


def render_docx(document: model.Document, chart_images: dict[str, bytes], template: Optional[bytes] = None) -> bytes:
    return DocxRenderer(document, template if template is not None else default_template(), chart_images).render()
