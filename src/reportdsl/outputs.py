"""From a compiled report to the bytes of every output file: Markdown, Word, PDF and chart images.

Everything is produced in memory first; the CLI then writes the whole set atomically.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Optional

import attrs

from .model import ChartModel, Document

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


def soffice() -> Optional[str]:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, stem: str, profile_files: Optional[dict[str, bytes]] = None) -> bytes:
    import subprocess

    program = soffice()
    if program is None:
        raise BuildError("PDF output needs LibreOffice, which is not installed; on Debian or Ubuntu: "
                         "apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    with tempfile.TemporaryDirectory(prefix="reportdsl-pdf-") as work:
        source = Path(work) / f"{stem}.docx"
        source.write_bytes(docx)
        profile = Path(work, "profile")
        for name, data in (profile_files or {}).items():  # settings of the private profile
            Path(profile, name).parent.mkdir(parents=True, exist_ok=True)
            Path(profile, name).write_bytes(data)
        close_profile(profile)
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", work, str(source)]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=300, env=office_environment(work),
                                       stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BuildError("LibreOffice took more than 5 minutes to convert the Word file; nothing written") from None
        pdf = Path(work) / f"{stem}.pdf"
        if completed.returncode != 0 or not pdf.exists():
            raise BuildError(f"LibreOffice could not convert the Word file: {completed.stderr.strip() or completed.stdout.strip()}")
        return pdf.read_bytes()


# LibreOffice settings of the throwaway profile each conversion gets: no macros, no active content,
# no fetching of linked pictures or documents, and every web request sent to a proxy that does not exist.
CLOSED_SETTINGS = {
    "/org.openoffice.Office.Common/Security/Scripting": {
        "BlockUntrustedRefererLinks": ("boolean", "true"), "DisableActiveContent": ("boolean", "true"),
        "DisableMacrosExecution": ("boolean", "true"), "MacroSecurityLevel": ("int", "3")},
    "/org.openoffice.Inet/Settings": {
        "ooInetProxyType": ("int", "1"), "ooInetHTTPProxyName": ("string", "127.0.0.1"),
        "ooInetHTTPProxyPort": ("int", "9"), "ooInetHTTPSProxyName": ("string", "127.0.0.1"),
        "ooInetHTTPSProxyPort": ("int", "9"), "ooInetNoProxy": ("string", "")},
    "/org.openoffice.Office.Writer/Content/Update": {"Link": ("int", "2")},
    "/org.openoffice.Office.Common/Misc": {"UseLocking": ("boolean", "false")},
}


def close_profile(profile: Path) -> None:
    """Add CLOSED_SETTINGS to the profile's registry (after any settings already written there)."""
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, props in CLOSED_SETTINGS.items() for name, (_kind, value) in props.items())
    registry = profile / "user" / "registrymodifications.xcu"
    registry.parent.mkdir(parents=True, exist_ok=True)
    text = registry.read_text(encoding="utf-8") if registry.exists() else (
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n</oor:items>\n')
    registry.write_text(text.replace("</oor:items>", items + "\n</oor:items>"), encoding="utf-8")


def office_environment(work: str) -> dict[str, str]:
    """Only what LibreOffice needs to run: no proxy settings, no credentials, HOME in the work folder."""
    import os

    kept = {name: value for name, value in os.environ.items()
            if name in ("PATH", "LANG", "LANGUAGE", "TZ") or name.startswith("LC_")}
    return {**kept, "HOME": work, "TMPDIR": work}
