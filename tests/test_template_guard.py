"""A Word template from outside cannot escape: no objects with methods, only the listed tags, no
external links, no zip bombs or XML entities, and LibreOffice fetches nothing (docs/security.md)."""

import http.server
import os
import threading

import pytest
from click.testing import CliRunner

from reportdsl.outputs import docx_to_pdf, soffice
from reportdsl.cli import main
from reportdsl.render.docx import TemplateError, render_docx
from helpers import compile_snippet
from template_samples import billion_laughs, field, linked_picture, png, with_paragraph, zip_bomb

needs_office = pytest.mark.skipif(soffice() is None and not os.environ.get("CI"), reason="LibreOffice not installed")
REPORT = 'part "p" { para "正文 {year}" }'


@pytest.fixture(scope="module")
def document():
    return compile_snippet(REPORT).document


def tag(text: str) -> bytes:
    return with_paragraph(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")


@pytest.mark.parametrize("escape", [
    "{{ body.tpl.replace_zipname('word/fontTable.xml', '/etc/passwd') }}",
    "{{ body.subdocx.save('{target}') }}",
    "{{ body.tpl.write_xml('{target}') }}",
    "{{ title.replace('a', 'b') }}",
    "{{ body | safe }}",
    "{% for x in range(99999) %}{% for y in range(99999) %}x{% endfor %}{% endfor %}",
    "{{ year + 1 }}",
])
def test_a_template_can_reach_no_method_and_write_no_file(document, tmp_path, escape):
    target = tmp_path / "escaped.docx"
    with pytest.raises(TemplateError, match="tag"):
        render_docx(document, {}, tag(escape.replace("{target}", str(target)).replace("'", "&apos;")))
    assert not target.exists()


def test_the_listed_tags_still_work(document):
    from docx import Document
    import io

    output = Document(io.BytesIO(render_docx(document, {}, tag("{{ department }}/{{ year }}/{{ unit }}"))))
    assert output.paragraphs[0].text == "示例单位/2023/万元"


@pytest.mark.parametrize("template,words", [
    (lambda: linked_picture("http://127.0.0.1:9/x.png"), "links an external image"),
    (lambda: linked_picture("file:///etc/hostname"), "links an external image"),
    (lambda: field('INCLUDETEXT "/etc/passwd"'), "INCLUDETEXT field"),
    (lambda: field('INCLUDEPICTURE "http://127.0.0.1:9/x.png"', simple=True), "INCLUDEPICTURE field"),
    (lambda: field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'), "DDEAUTO field"),
    (lambda: with_paragraph('<w:p><w:r><w:object><o:OLEObject Type="Link" ProgID="Excel.Sheet.12"/></w:object></w:r></w:p>'),
     "linked OLE object"),
    (billion_laughs, "DTD or XML entities"),
    (zip_bomb, "zip bomb"),
    (lambda: b"PK\x03\x04 not really a zip", "not a zip archive"),
    (lambda: "这不是 Word 文件".encode(), "not a zip archive"),
])
def test_hostile_templates_are_refused_before_rendering(document, template, words):
    with pytest.raises(TemplateError, match=words):
        render_docx(document, {}, template())


def test_a_template_over_the_size_limit_is_refused_before_unzipping(document, monkeypatch):
    from reportdsl.render import template_guard

    monkeypatch.setattr(template_guard, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(TemplateError, match="unpacks to"):
        render_docx(document, {}, tag("x"))


def test_a_field_put_together_by_a_tag_is_caught_in_the_rendered_file():
    report = compile_snippet(REPORT, header='report "INCLUDETEXT" year 2023 unit 万元\n')
    template = with_paragraph('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{{ department }} '
                              '&quot;/etc/passwd&quot;</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    with pytest.raises(TemplateError, match="rendered Word file .* INCLUDETEXT field"):
        render_docx(report.document, {}, template)


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: list = []

    def do_GET(self):  # noqa: N802 - the http.server name
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png())

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@needs_office
def test_libreoffice_never_fetches_a_linked_picture_even_past_the_guard(loopback_server):
    pdf = docx_to_pdf(linked_picture(f"{loopback_server}/secret.png"), "linked")
    assert pdf.startswith(b"%PDF")
    assert Recorder.requests == []


@needs_office
def test_compiling_to_pdf_with_a_linked_template_asks_nothing_of_the_network(tmp_path, loopback_server):
    report = tmp_path / "r.rpt"
    report.write_text('report "x" year 2023 unit 万元\n' + REPORT + "\n", encoding="utf-8")
    template = tmp_path / "linked.docx"
    template.write_bytes(linked_picture(f"{loopback_server}/secret.png"))
    result = CliRunner().invoke(main, ["compile", str(report), "--to", "pdf", "--template", str(template),
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "links an external image" in result.output and "internal error" not in result.output
    assert Recorder.requests == [] and not (tmp_path / "out").exists()
