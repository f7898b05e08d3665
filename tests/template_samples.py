"""Hostile Word templates for the tests: each is the default template with one part changed."""

from __future__ import annotations

import io
import struct
import zlib
import zipfile

from reportdsl.render.docx import default_template

IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
DOCUMENT = "word/document.xml"
RELS = "word/_rels/document.xml.rels"


def png() -> bytes:
    """A 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00\xff\xff\xff")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def with_parts(changes: dict, base: bytes | None = None) -> bytes:
    """The default template with some parts replaced: {name: function(old text) -> new text or bytes}."""
    source = zipfile.ZipFile(io.BytesIO(base or default_template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name in changes:
                data = changes[name](data.decode("utf-8"))
                data = data.encode("utf-8") if isinstance(data, str) else data
            target.writestr(name, data)
    return out.getvalue()


def with_paragraph(xml: str) -> bytes:
    """A paragraph of raw WordprocessingML added at the top of the body."""
    return with_parts({DOCUMENT: lambda text: text.replace("<w:body>", "<w:body>" + xml, 1)})


LINKED_PICTURE = (
    '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="901" name="linked"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="901" '
    'name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rIdLinked"/><a:stretch>'
    '<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" '
    'cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    '</wp:inline></w:drawing></w:r></w:p>')


def linked_picture(url: str) -> bytes:
    """A picture that is not in the file: Word and LibreOffice fetch it from `url` to show it."""
    relation = f'<Relationship Id="rIdLinked" Type="{IMAGE_TYPE}" Target="{url}" TargetMode="External"/>'
    return with_parts({DOCUMENT: lambda text: text.replace("<w:body>", "<w:body>" + LINKED_PICTURE, 1),
                       RELS: lambda text: text.replace("</Relationships>", relation + "</Relationships>")})


def field(instruction: str, simple: bool = False) -> bytes:
    if simple:
        quoted = instruction.replace('"', "&quot;")
        return with_paragraph(f'<w:p><w:fldSimple w:instr="{quoted}"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>')
    half = len(instruction) // 2  # split over two runs, as Word often writes it
    return with_paragraph('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                          f'<w:r><w:instrText xml:space="preserve">{instruction[:half]}</w:instrText></w:r>'
                          f'<w:r><w:instrText xml:space="preserve">{instruction[half:]}</w:instrText></w:r>'
                          '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
                          '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def billion_laughs() -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    return with_parts({DOCUMENT: lambda text: text.replace(
        "<w:document", f"<!DOCTYPE w:document [{entities}]><w:document", 1).replace("{{ title }}", "&a9;")})


def zip_bomb(megabytes: int = 64) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default_template())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("word/media/huge.xml", b" " * (megabytes * 1024 * 1024))
    return out.getvalue()
