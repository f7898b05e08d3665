"""Which regional face of a Noto CJK collection drew the Chinese text of a PDF.

The name a PDF gives its embedded font cannot tell: the .ttc's faces (JP, KR, SC, TC, HK) share
one CFF table, whose name is NotoSerifCJKjp-… for all of them. What differs is the face's cmap:
for characters such as 直 or 角 the SC face maps to another glyph (CID) than the JP face. LibreOffice
embeds a Type 1 subset whose glyph names are those CIDs (`/cid27746`), and its ToUnicode map says
which character each code is; so each drawn character can be checked against both faces."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter

FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
PAIR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
REGION = re.compile(r"cjk(jp|sc)-")
ENCODED = re.compile(r"dup (\d+) /cid0*(\d+) put")


def collection_files() -> list[str]:
    """The installed .ttc files holding the SC faces; empty when fontconfig or the fonts are missing."""
    if shutil.which("fc-list") is None:
        return []
    found = []
    for family in FAMILIES:
        listed = subprocess.run(["fc-list", "--format", "%{file}\n", f":family={family}"],
                                capture_output=True, text=True, timeout=60).stdout.split()
        found += [path for path in listed if path.endswith(".ttc") and path not in found]
    return found


def regional_cmaps() -> dict[str, tuple[dict[int, int], dict[int, int]]]:
    """CFF font name → (JP face's character → CID, SC face's character → CID)."""
    from fontTools.ttLib import TTCollection

    cmaps = {}
    for path in collection_files():
        faces = {font["name"].getDebugName(6): font for font in TTCollection(path).fonts}
        by_region = {match.group(1): font for name, font in faces.items()
                     if (match := REGION.search(name.lower())) and "mono" not in name.lower()}
        if {"jp", "sc"} <= set(by_region):
            cff_name = by_region["sc"]["CFF "].cff.fontNames[0]
            cmaps[cff_name] = tuple({char: int(glyph.removeprefix("cid"))
                                     for char, glyph in by_region[region].getBestCmap().items()}
                                    for region in ("jp", "sc"))
    return cmaps


def to_unicode(stream: bytes) -> dict[int, str]:
    found = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for code, text in PAIR.findall(block):
            found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for first, last, start in RANGE.findall(block):
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                found[code] = chr(int(start, 16) + offset)
    return found


def encoded_cids(font_file) -> dict[int, int]:
    """Code → CID of a Type 1 subset, read from the clear-text part of its font program."""
    clear = font_file.read_bytes()[:int(font_file.Length1)].decode("latin-1")
    return {int(code): int(cid) for code, cid in ENCODED.findall(clear)}


def faces_drawn(pdf: bytes) -> Counter:
    """For each drawn character whose JP and SC glyphs differ: 'sc', 'jp' or 'other', counted."""
    import pikepdf

    cmaps = regional_cmaps()
    tally: Counter = Counter()
    seen = set()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                if font.objgen in seen or "/ToUnicode" not in font or "/FontFile" not in font.FontDescriptor:
                    continue
                seen.add(font.objgen)
                name = str(font.BaseFont).split("+")[-1].removesuffix("-VKana")
                if name not in cmaps:
                    continue
                jp, sc = cmaps[name]
                cids = encoded_cids(font.FontDescriptor.FontFile)
                for code, text in to_unicode(font.ToUnicode.read_bytes()).items():
                    char = ord(text) if len(text) == 1 else None
                    if char in sc and char in jp and sc[char] != jp[char] and code in cids:
                        tally["sc" if cids[code] == sc[char] else "jp" if cids[code] == jp[char] else "other"] += 1
    return tally
