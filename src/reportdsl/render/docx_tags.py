"""A Word template with tags besides the body's (`{{ title }}` in a header, say): rendered by docxtpl.

The body's elements come made (render/docx.py); docxtpl puts them in place of `{{p body }}` and
fills the other tags with inert values in Jinja's sandbox (render/template_guard.py). The result
is inspected again, since a tag could have put a field's words together.
"""

from __future__ import annotations

import io
import re

from lxml import etree

from .docx_zip import normalize_zip
from .template_guard import TemplateError, check_rendered, inert_context, template_environment

BODY_ELEMENT_TAG = re.compile(r"</?w:body[^>]*>")
PROPERTY_NAMES = {"dc:title": "title", "dc:subject": "subject", "dc:creator": "author",
                  "cp:lastModifiedBy": "last_modified_by", "cp:revision": "revision", "dcterms:created": "created",
                  "dcterms:modified": "modified", "cp:lastPrinted": "last_printed"}


class TaggedPackage:
    def __init__(self, data: bytes):
        from docxtpl import DocxTemplate

        self.template = DocxTemplate(io.BytesIO(data))
        try:
            self.docx = self.template.get_docx()
        except Exception as exc:  # noqa: BLE001 - python-docx may fail in any way on a foreign file
            raise TemplateError(f"the Word template cannot be opened ({type(exc).__name__}: {exc})") from None
        self.document = self.docx.element

    def style_ids(self) -> dict[str, str]:
        return {style.name: style.style_id for style in self.docx.styles}

    def add_image(self, data: bytes) -> str:
        relationship, _ = self.docx.part.get_or_add_image(io.BytesIO(data))
        return relationship

    def finish(self, body, properties: dict, settings_edit, tags: dict) -> bytes:
        body_xml = BODY_ELEMENT_TAG.sub("", etree.tostring(body, encoding="unicode"))
        self._render(inert_context(body_xml=body_xml, **tags))
        core = self.template.docx.core_properties  # get_docx() would reload the unrendered template
        for key, value in properties.items():
            setattr(core, PROPERTY_NAMES[key], value)
        settings_edit(self.template.docx.settings.element)
        buffer = io.BytesIO()
        self.template.save(buffer)
        rendered = normalize_zip(buffer.getvalue())
        check_rendered(rendered)
        return rendered

    def _render(self, context: dict) -> None:
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
