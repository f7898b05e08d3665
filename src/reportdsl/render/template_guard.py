"""A Word template from outside, made harmless before docxtpl, python-docx or LibreOffice read it.

A .docx is a zip of XML parts. One that came by e-mail may be a zip bomb, declare XML entities
(billion laughs), link images or documents on a server or on this machine (LibreOffice fetches
them when it makes a PDF), or carry fields that include other files. All of these are refused
here, with the user's words, before anything is unzipped in full or parsed; the rendered file is
inspected again before LibreOffice sees it. The template's tags are limited to the names the
compiler hands it, and it is handed inert values only (strings, a number), never an object whose
methods could write files.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template with a logo and fonts is a few MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # everything inside, uncompressed
MAX_MEMBERS = 2000
MAX_RATIO = 200  # uncompressed over compressed size of one member; XML packs about 10:1
ALLOWED_TAGS = ("title", "department", "year", "unit", "body")
# Fields whose result Word or LibreOffice fetches from another file or program.
FETCHING_FIELDS = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|INCLUDE|IMPORT|LINK|DDE|DDEAUTO|RD|DATABASE)\b", re.I)
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class TemplateError(Exception):
    """A user's Word template cannot be used; the message says why and what to fix."""


def guard_template(data: bytes) -> bytes:
    """The template's bytes if it is a safe Word file, else TemplateError saying what is wrong."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"the Word template is {len(data) // 1024 // 1024} MB; a template may have at most "
                            f"{MAX_TEMPLATE_BYTES // 1024 // 1024} MB")
    inspect_package(data, "the Word template")
    return data


def inspect_package(data: bytes, what: str) -> None:
    archive = open_archive(data, what)
    check_sizes(archive, what)
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            check_part(name, read_member(archive, name, what), what)


def open_archive(data: bytes, what: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise TemplateError(f"{what} is not a Word file (.docx): it is not a zip archive; "
                            "save it from Word or LibreOffice as .docx") from None


def check_sizes(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse a zip bomb from the sizes its directory declares, before anything is unpacked."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise TemplateError(f"{what} holds {len(members)} files; a Word file has a few dozen (at most {MAX_MEMBERS})")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise TemplateError(f"{what} unpacks to {total // 1024 // 1024} MB; at most "
                            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB are allowed (a zip bomb?)")
    for member in members:
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise TemplateError(f"{what}: '{member.filename}' is packed {member.file_size // max(member.compress_size, 1)} "
                                f"to 1; at most {MAX_RATIO} to 1 is allowed (a zip bomb?)")


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """A member, read no further than its declared size (a lying header cannot unpack more)."""
    member = archive.getinfo(name)
    try:
        with archive.open(member) as stream:
            data = stream.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise TemplateError(f"{what}: '{name}' cannot be unpacked ({exc})") from None
    if len(data) > member.file_size:
        raise TemplateError(f"{what}: '{name}' is larger than its zip header says")
    return data


def check_part(name: str, data: bytes, what: str) -> None:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise TemplateError(f"{what}: '{name}' declares a DTD or XML entities, which Word never writes; "
                            "save the template again from Word or LibreOffice")
    root = parse_xml(name, data, what)
    for problem in external_links(name, root):
        raise TemplateError(f"{what} {problem}; embed the picture or text in the template instead")


def parse_xml(name: str, data: bytes, what: str):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{what}: '{name}' is not well-formed XML ({exc})") from None


def external_links(name: str, root) -> Iterator[str]:
    """What in one XML part would make a reader fetch another file or call another program."""
    for element in root.iter("{*}Relationship"):
        if element.get("TargetMode") == "External" and element.get("Type") != HYPERLINK_TYPE:
            kind = element.get("Type", "").rsplit("/", 1)[-1] or "resource"
            yield f"links an external {kind} ('{element.get('Target', '')[:80]}', in {name})"
    for element in root.iter("{*}OLEObject"):
        if element.get("Type") == "Link":
            yield f"holds a linked OLE object (in {name})"
    instructions = [element.get(f"{{{W_NS}}}instr", "") for element in root.iter(f"{{{W_NS}}}fldSimple")]
    instructions.append("".join(element.text or "" for element in root.iter(f"{{{W_NS}}}instrText")))
    for text in instructions:
        found = FETCHING_FIELDS.search(text)
        if found:
            yield f"has a {found.group(1).upper()} field, which reads another file (in {name})"


def check_rendered(data: bytes) -> None:
    """The rendered Word file, inspected again before it is written or handed to LibreOffice: a tag
    could have put a field's words together."""
    inspect_package(data, "the rendered Word file (from the template)")


# ---- the tags --------------------------------------------------------------------------------------


def template_environment():
    """Jinja for a template that came by e-mail: only the listed names, as bare tags; inside Jinja's
    immutable sandbox, with autoescape on and unknown names an error."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class OnlyListedTags(ImmutableSandboxedEnvironment):
        def from_string(self, source, globals=None, template_class=None):
            tree = self.parse(source) if isinstance(source, str) else source
            refuse_unlisted(tree)
            return super().from_string(tree, globals, template_class)

    return OnlyListedTags(autoescape=True, undefined=StrictUndefined)


def refuse_unlisted(tree) -> None:
    """Only text and {{ NAME }} with a listed NAME: no filters, loops, calls or attributes."""
    from jinja2 import nodes

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Name):
            if node.name not in ALLOWED_TAGS or node.ctx != "load":
                raise TemplateError(f"the Word template uses '{{{{ {node.name} }}}}' (line {node.lineno}); "
                                    f"the tags are {', '.join(ALLOWED_TAGS)} (docs/templates.md)")
        elif not isinstance(node, (nodes.Template, nodes.Output, nodes.TemplateData)):
            raise TemplateError(f"the Word template has a '{type(node).__name__}' in a tag (line {node.lineno}); "
                                f"a tag is only one of {', '.join(ALLOWED_TAGS)}, e.g. {{{{ title }}}} (docs/templates.md)")
        stack.extend(node.iter_child_nodes())


def inert_context(title: str, department: str, year, unit: str, body_xml: str) -> dict:
    """What the template sees: strings and a number; the body as markup that is only text."""
    from markupsafe import Markup

    return {"title": str(title), "department": str(department), "year": "" if year is None else int(year),
            "unit": str(unit), "body": Markup(body_xml)}
