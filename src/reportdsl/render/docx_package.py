"""The Word file made from the template's own package with lxml and zipfile, without docxtpl.

A template whose only tag is the body's `{{p body }}` (the default template, and most house
templates) needs no template engine: the body's elements take the place of that paragraph in the
template's document part, the other parts are kept as they are, and pictures, the document
properties and the update-fields setting are written into the package directly. Importing
docxtpl, python-docx and Jinja cost more than the rest of a compile; a template with tags
anywhere else still goes through docxtpl (render/docx_tags.py).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import posixpath
import re
import struct
import zipfile
from typing import Optional

from lxml import etree

from .docx_zip import stored_member, write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CORE_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
IMAGE_RELATIONSHIP = RELATIONSHIP + "image"
BODY_TAG = re.compile(r"^\{\{\s*p\s+body\s*\}\}$")
TAG_MARKS = (b"{{", b"{%", b"{#")
FIRST_PICTURE_ID = 1001  # docxtpl numbers every picture from here; kept so that both paths agree
CORE_NAMESPACES = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def parse(data: bytes):
    return etree.fromstring(data, PARSER)


def serialize(root) -> bytes:
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def relationships(data: Optional[bytes]) -> list:
    return [] if data is None else list(parse(data).iter(f"{{{REL_NS}}}Relationship"))


def rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def target_of(rels: list, kind: str, base: str) -> Optional[str]:
    """The part a relationship of `kind` points at, as a name inside the zip."""
    for relationship in rels:
        if relationship.get("Type") == kind and relationship.get("TargetMode") != "External":
            target = relationship.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
    return None


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("a chart picture is not a PNG")
    return struct.unpack(">II", data[16:24])


class DirectPackage:
    """The template's parts, read when needed, edited in memory and written back as one zip; the
    parts left as they were are copied still compressed."""

    def __init__(self, data: bytes, trusted: bool = False):
        self.data = data
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.names = self.archive.namelist()
        self.trusted = trusted
        self.parts: dict[str, bytes] = {}  # the parts read so far, as edited
        self.changed: set[str] = set()
        if not trusted:  # every part read now, so that a broken one is found before anything is made
            for name in self.names:
                self.part(name)
        package_rels = relationships(self.part("_rels/.rels"))
        self.document_name = target_of(package_rels, RELATIONSHIP + "officeDocument", "") or ""
        self.core_name = target_of(package_rels, CORE_RELATIONSHIP, "")
        self.document_rels_name = rels_name(self.document_name)
        document_rels = relationships(self.part(self.document_rels_name))
        folder = posixpath.dirname(self.document_name)
        self.styles_name = target_of(document_rels, RELATIONSHIP + "styles", folder)
        self.settings_name = target_of(document_rels, RELATIONSHIP + "settings", folder)
        document = self.part(self.document_name)
        self.document = parse(document) if document is not None else None
        self.placeholder = self._body_placeholder()
        self.images: dict[str, str] = {}  # digest of a picture -> its relationship id

    def part(self, name: Optional[str]) -> Optional[bytes]:
        """A part's bytes (as edited so far), None when the package has no such part."""
        if name is None or name not in self.names:
            return None
        if name not in self.parts:
            self.parts[name] = self.archive.read(name)
        return self.parts[name]

    def put(self, name: str, data: bytes) -> None:
        if name not in self.names:
            self.names.append(name)
        self.parts[name] = data
        self.changed.add(name)

    @classmethod
    def fits(cls, data: bytes, trusted: bool = False) -> Optional["DirectPackage"]:
        """The package, when the template needs no template engine: its standard parts are there and
        the body's `{{p body }}` paragraph is its only tag (the default template, `trusted`, is
        known to be such a one: tests/test_render.py checks it)."""
        package = cls(data, trusted)
        needed = (package.document, package.placeholder, package.core_name, package.styles_name,
                  package.settings_name)
        if any(part is None for part in needed) or not all(
                name in package.names for name in (package.core_name, package.styles_name, package.settings_name)):
            return None
        return package if trusted or package.only_body_tag() else None

    def _body_placeholder(self):
        body = self.document.find(q("body")) if self.document is not None else None
        if body is None:
            return None
        for paragraph in body.iter(q("p")):
            if BODY_TAG.match("".join(paragraph.itertext()).strip()):
                return paragraph if paragraph.getparent() is body else None
        return None

    def only_body_tag(self) -> bool:
        for name in self.names:
            if not name.endswith(".xml"):
                continue
            data = self.part(name)
            allowed = 1 if name == self.document_name else 0
            if data.count(b"{{") > allowed or any(mark in data for mark in TAG_MARKS[1:]):
                return False
        return True

    # ---- what the body needs from the package --------------------------------------------------

    def style_ids(self) -> dict[str, str]:
        """Each style's id by its name."""
        if self.trusted:
            return style_ids_as_written(self.part(self.styles_name))
        styles = parse(self.part(self.styles_name))
        found = {}
        for style in styles.iter(q("style")):
            name = style.find(q("name"))
            if name is not None and name.get(q("val")) is not None:
                found[name.get(q("val"))] = style.get(q("styleId"))
        return found

    def add_image(self, data: bytes) -> str:
        """The relationship id of a PNG picture put into the package (the same picture once)."""
        digest = hashlib.sha1(data).hexdigest()
        if digest in self.images:
            return self.images[digest]
        number = next(n for n in range(1, len(self.names) + 2) if f"word/media/image{n}.png" not in self.names)
        name = f"word/media/image{number}.png"
        self.put(name, data)
        self._add_png_type()
        rels = parse(self.part(self.document_rels_name))
        taken = {relationship.get("Id") for relationship in rels}
        rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
        relationship = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
        relationship.set("Id", rid)
        relationship.set("Type", IMAGE_RELATIONSHIP)
        relationship.set("Target", posixpath.relpath(name, posixpath.dirname(self.document_name)))
        self.put(self.document_rels_name, serialize(rels))
        self.images[digest] = rid
        return rid

    def _add_png_type(self) -> None:
        types = parse(self.part("[Content_Types].xml"))
        if any(default.get("Extension", "").lower() == "png" for default in types.iter(f"{{{TYPES_NS}}}Default")):
            return
        default = etree.Element(f"{{{TYPES_NS}}}Default")
        default.set("Extension", "png")
        default.set("ContentType", "image/png")
        types.insert(0, default)
        self.put("[Content_Types].xml", serialize(types))

    # ---- the finished file ---------------------------------------------------------------------

    def finish(self, body, properties: dict, settings_edit, tags: Optional[dict] = None) -> bytes:
        """The Word file: the body's elements in the placeholder's place, the properties set (no
        `tags`: such a template has none)."""
        body_element = self.placeholder.getparent()
        position = body_element.index(self.placeholder)
        body_element.remove(self.placeholder)
        for offset, element in enumerate(list(body)):
            body_element.insert(position + offset, element)
        etree.cleanup_namespaces(self.document, keep_ns_prefixes=list(self.document.nsmap))
        for number, picture in enumerate(self.document.iter(f"{{{WP}}}docPr")):
            picture.set("id", str(FIRST_PICTURE_ID + number))
        self.put(self.document_name, serialize(self.document))
        settings = parse(self.part(self.settings_name))
        settings_edit(settings)
        self.put(self.settings_name, serialize(settings))
        self.put(self.core_name, core_properties(self.part(self.core_name), properties))
        return write_zip((name, self._member(name)) for name in self.names)

    def _member(self, name: str):
        """An edited part's bytes, or an unchanged one as the template's zip holds it."""
        if name in self.changed:
            return self.parts[name]
        info = self.archive.getinfo(name)
        if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return stored_member(self.data, info)  # a user's template had every part read (CRC checked)
        return self.part(name)


STYLE_AS_WRITTEN = re.compile(rb'<w:style\b[^>]*?\bw:styleId="([^"]*)"[^>]*>\s*<w:name w:val="([^"]*)"')


def style_ids_as_written(styles: bytes) -> dict[str, str]:
    """The default template's style ids, found in its styles part as python-docx writes it (id, then
    name) without parsing the whole part; tests/test_render.py checks this against the parse."""
    return {name.decode("utf-8"): style_id.decode("utf-8") for style_id, name in STYLE_AS_WRITTEN.findall(styles)}


def core_properties(data: bytes, properties: dict) -> bytes:
    """docProps/core.xml with the given properties: {'dc:title': text or datetime, ...}."""
    root = parse(data)
    for key, value in properties.items():
        prefix, name = key.split(":")
        tag = f"{{{CORE_NAMESPACES[prefix]}}}{name}"
        element = root.find(tag)
        if element is None:
            element = etree.SubElement(root, tag)
        if isinstance(value, datetime.datetime):
            element.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
            if name in ("created", "modified"):
                element.set(f"{{{CORE_NAMESPACES['xsi']}}}type", "dcterms:W3CDTF")
        else:
            element.text = str(value)
    return serialize(root)
