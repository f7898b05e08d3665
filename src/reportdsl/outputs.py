"""From a compiled report to the bytes of every output file: Markdown, Word, PDF and chart images.

Everything is produced in memory first; the CLI then writes the whole set atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import attrs

from . import office
from .model import ChartModel, Document
from .office import soffice  # noqa: F401 — callers ask outputs whether PDF can be made

TARGETS = {"md": ("md",), "docx": ("docx",), "pdf": ("pdf",), "json": ("json",), "html": ("html",),
           "xlsx": ("xlsx",), "all": ("md", "docx", "pdf", "json", "html")}


class BuildError(Exception):
    """An output cannot be made (no LibreOffice, a broken template); the message says what to do."""


@attrs.frozen
class Outputs:
    files: dict[Path, bytes]
    warnings: tuple[str, ...]


def chart_file(stem: str, chart: ChartModel, form: str = "svg") -> str:
    return f"{stem}_files/chart{chart.number}.{form}"


def build_outputs(document: Document, stem: str, out_dir: Path, target: str,
                  template: Optional[bytes] = None, charts: bool = True,
                  source_path: str = "", diagnostics: tuple = ()) -> Outputs:
    kinds = TARGETS[target]
    images, pictures, warnings = ({}, {}, [])
    if "json" in kinds:
        from .render.json import render_json

        files_json = {out_dir / f"{stem}.json": render_json(document, source_path, diagnostics).encode("utf-8")}
    else:
        files_json = {}
    if "xlsx" in kinds:
        from .render.xlsx import render_xlsx

        files_json[out_dir / f"{stem}.xlsx"] = render_xlsx(document)
    if charts:
        from .render.charts import draw_charts

        if {"md", "html"} & set(kinds):
            pictures, _ = draw_charts(document, "svg")  # written directly: a browser draws it
        if {"docx", "pdf"} & set(kinds):
            images, warnings = draw_charts(document, "png")  # Word needs a picture
    files: dict[Path, bytes] = dict(files_json)
    if "md" in kinds:
        files.update(_text_with_images(document, stem, out_dir, pictures, "md"))
    if "html" in kinds:
        files.update(_text_with_images(document, stem, out_dir, pictures, "html"))
    if "docx" in kinds or "pdf" in kinds:
        from .render.docx import render_docx

        docx = render_docx(document, images, template)
        if "docx" in kinds:
            files[out_dir / f"{stem}.docx"] = docx
        if "pdf" in kinds:
            files[out_dir / f"{stem}.pdf"], said = _pdf(document, images, template, docx, stem)
            warnings = [*warnings, *said]
    return Outputs(files, tuple(warnings))


def _pdf(document: Document, images: dict[str, bytes], template: Optional[bytes], docx: bytes,
         stem: str) -> tuple[bytes, list[str]]:
    """Convert twice: the first conversion says on which page each 目录 entry starts, the second
    prints those numbers. Missing fonts are replaced by kind, and said once."""
    from .render import pdf as finish
    from .render.docx import contents_entries, render_docx

    pairs = finish.substitutions(docx)
    profile = {"user/registrymodifications.xcu": finish.registry(pairs).encode("utf-8")}
    pdf = docx_to_pdf(docx, stem, profile)
    entries = contents_entries(document)
    if entries:
        numbers = finish.contents_pages(pdf, entries)
        pdf = docx_to_pdf(render_docx(document, images, template, page_numbers=numbers), stem, profile)
    said = [finish.describe_substitutions(pairs)] if pairs else []
    return finish.deterministic(pdf, document.title, document.department, document.year), said


def _text_with_images(document: Document, stem: str, out_dir: Path, images: dict[str, bytes],
                      suffix: str) -> dict[Path, bytes]:
    """A Markdown or HTML file and the chart images beside it that it links to."""
    if suffix == "md":
        from .render.markdown import render_markdown as render
    else:
        from .render.html import render_html as render

    charts = [b for b in document.blocks if isinstance(b, ChartModel) and b.name in images]
    links = {chart.name: chart_file(stem, chart) for chart in charts}
    files = {out_dir / links[chart.name]: images[chart.name] for chart in charts}
    files[out_dir / f"{stem}.{suffix}"] = render(document, links).encode("utf-8")
    return files


def docx_to_pdf(docx: bytes, stem: str, profile_files: Optional[dict[str, bytes]] = None) -> bytes:
    try:
        return office.convert(docx, f"{stem}.docx", "pdf", profile_files=profile_files,
                              missing="PDF output needs LibreOffice")
    except office.OfficeError as error:
        raise BuildError(str(error)) from None
