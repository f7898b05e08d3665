"""What the PDF needs besides LibreOffice's conversion: fonts that exist, the 目录's page numbers,
and the same bytes for the same report.

- Fonts: the template names 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, which a Linux machine
  rarely has; LibreOffice would then fall back to one CJK face for everything (often a Japanese
  one). The private profile of the conversion gets a replacement table instead: a serif for
  仿宋/宋体/楷体/小标宋, a sans for 黑体, Simplified Chinese faces. Only missing fonts are replaced.
- Page numbers: the first conversion's outline (PDF bookmarks, one per heading) says where each
  entry of the 目录 starts; the Word file is rendered again with them and converted once more.
- Determinism: LibreOffice stamps dates and a random document ID; both are fixed from the report.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from typing import Optional
from xml.sax.saxutils import escape

SERIF_FACES = ("Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC")
SANS_FACES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC")
LATIN_SERIF_FACES = ("Liberation Serif", "Tinos", "Noto Serif CJK SC")
LATIN_SERIF_FONTS = ("Times New Roman",)
SANS_FONTS = ("黑体", "SimHei", "方正黑体简体", "微软雅黑", "Microsoft YaHei")
FONT_ATTRIBUTE = re.compile(rb'w:(?:eastAsia|ascii|hAnsi)="([^"]+)"')


def installed_families() -> Optional[set[str]]:
    """Font families fontconfig knows; None when it cannot be asked."""
    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        listed = subprocess.run([program, ":", "family"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def fonts_of(docx: bytes) -> list[str]:
    """The East Asian font names a Word file uses (styles and runs), in order of first use."""
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(docx))
    names: dict[str, None] = {}
    for member in ("word/styles.xml", "word/document.xml"):
        if member in archive.namelist():
            for match in FONT_ATTRIBUTE.finditer(archive.read(member)):
                names.setdefault(match.group(1).decode("utf-8", "replace"), None)
    return [name for name in names
            if any(ord(ch) > 0x2e7f for ch in name) or name in SANS_FONTS or name in LATIN_SERIF_FONTS]


def substitutions(docx: bytes, installed: Optional[set[str]] = None) -> list[tuple[str, str]]:
    """(missing font, the installed face that stands in for it), by kind: 黑体 sans, the rest serif."""
    installed = installed_families() if installed is None else installed
    if not installed:
        return []
    pairs = []
    for name in fonts_of(docx):
        if name in installed:
            continue
        faces = (LATIN_SERIF_FACES if name in LATIN_SERIF_FONTS
                 else SANS_FACES if name in SANS_FONTS or "黑" in name else SERIF_FACES)
        face = next((face for face in faces if face in installed), None)
        if face is not None:
            pairs.append((name, face))
    return pairs


def registry(pairs: list[tuple[str, str]]) -> str:
    """LibreOffice's registrymodifications.xcu with a font replacement table."""
    items = ['<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
             '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>']
    for index, (font, face) in enumerate(pairs):
        items.append(
            f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{index}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(font)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(face)}</value></prop>'
            '</node></item>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            + "\n".join(items) + "\n</oor:items>\n")


def describe_substitutions(pairs: list[tuple[str, str]]) -> str:
    shown = "，".join(f"{font} → {face}" for font, face in pairs)
    return f"PDF: fonts not installed, drawn with free ones instead: {shown}"


def outline_pages(pdf: bytes) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark, in document order."""
    import pikepdf

    found: list[tuple[int, str, int]] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.objgen: number for number, page in enumerate(document.pages, start=1)}
        with document.open_outline() as outline:
            def walk(items, depth):
                for item in items:
                    destination = item.destination
                    if isinstance(destination, pikepdf.Array) and len(destination):
                        found.append((depth, str(item.title), pages.get(destination[0].objgen, 0)))
                    walk(item.children, depth + 1)

            walk(outline.root, 1)
    return found


def contents_pages(pdf: bytes, entries: list[tuple[str, str]]) -> list[int]:
    """The page of each 目录 entry (its text, and the text of the paragraph that stands for it),
    matched in order against the PDF's bookmarks; 0 for one not found."""
    bookmarks = [(re.sub(r"\s+", "", title), page) for _, title, page in outline_pages(pdf)]
    numbers, position = [], 0
    for entry, printed in entries:
        wanted = {re.sub(r"\s+", "", entry), re.sub(r"\s+", "", printed)}
        for index in range(position, len(bookmarks)):
            if bookmarks[index][0] in wanted:
                numbers.append(bookmarks[index][1])
                position = index + 1
                break
        else:
            numbers.append(0)
    return numbers


def deterministic(pdf: bytes, title: str, author: str, year: Optional[int]) -> bytes:
    """The PDF with fixed dates and a document ID derived from its content."""
    import pikepdf

    moment = f"D:{(year + 1) if year else 2000}0101000000Z"
    with pikepdf.open(io.BytesIO(pdf)) as document:
        info = document.docinfo
        for key in list(info.keys()):
            del info[key]
        info["/Title"] = title
        info["/Author"] = author
        info["/Producer"] = "reportdsl"
        info["/CreationDate"] = info["/ModDate"] = moment
        if "/Metadata" in document.Root:
            del document.Root["/Metadata"]
        for key in ("/ID", "/DocChecksum"):  # LibreOffice's random ID would seed the new one
            if key in document.trailer:
                del document.trailer[key]
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
