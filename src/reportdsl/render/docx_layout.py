"""How the Word body is laid on pages: section breaks (the cover, landscape tables), page breaks
(parts, tables) and the 目录's TOC field; titles are broken into lines by render/title_lines.py.

The body is built as plain lxml elements (then put into the template by render/docx_package.py or
docxtpl); `Flow` remembers the paragraph that would end the
current page's section, so that a landscape table can take the headings of its page with it.
"""

from __future__ import annotations

import copy
from typing import Optional

from lxml import etree

from .docx_table import Page, escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
BODY_NAMESPACES = {"w": W, "r": R, "wp": WP}
EMU_PER_CM = 360000
# A standard table's pages have 2.5 cm margins all round, as the published ones (Putuo's: 2.1–2.6 cm,
# narrower than the 3.7 / 2.8 cm of its text pages): table 1 keeps its names on one line, table 6
# and the landscape tables hold the rows they hold there.
TABLE_MARGIN = 1418
TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def parse_xml(text: str):
    return etree.fromstring(text)


def new_body():
    """The element the body is built in; its namespaces are the ones the template's must declare."""
    return etree.Element(q("body"), nsmap=BODY_NAMESPACES)


def paragraph_properties(paragraph):
    """A paragraph's w:pPr, made as its first child when it has none."""
    found = paragraph.find(q("pPr"))
    if found is None:
        found = etree.Element(q("pPr"))
        paragraph.insert(0, found)
    return found


def runs(lines: list[str]) -> str:
    pieces = []
    for index, line in enumerate(lines):
        if index:
            pieces.append("<w:r><w:br/></w:r>")
        if line:
            pieces.append(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>')
    return "".join(pieces)


def paragraph_xml(text: str, style_id: str, new_page: bool = False, outline: Optional[int] = None,
                  keep_next: bool = False, lines: Optional[list[str]] = None, section=None,
                  tiny: bool = False, heading: bool = False) -> object:
    """One paragraph (properties in the schema's order); `section` ends a section with it."""
    properties = [f'<w:pStyle w:val="{escape(style_id)}"/>']
    properties += ["<w:keepNext/>"] if keep_next else []
    properties += ["<w:pageBreakBefore/>"] if new_page else []
    properties += ['<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'] if tiny else []
    properties += [f'<w:outlineLvl w:val="{outline}"/>'] if outline is not None else []
    properties += ['<w:rPr><w:sz w:val="2"/></w:rPr>'] if tiny else []
    element = parse_xml(f'<w:p xmlns:w="{W}"><w:pPr>{"".join(properties)}</w:pPr>'
                        f'{runs(lines if lines is not None else [text])}</w:p>')
    if section is not None:
        element.find(q("pPr")).append(section)
    return element


def toc_entry_xml(text: str, page: str, style_id: str, width: int, first: bool, last: bool):
    """A line of the 目录 inside the TOC field: title, dot leader, page number."""
    begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve">{escape(TOC_INSTRUCTION)}</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') if first else ""
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if last else ""
    return parse_xml(f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="{escape(style_id)}"/>'
                     f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs></w:pPr>{begin}'
                     f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r><w:r><w:tab/></w:r>'
                     f'<w:r><w:t>{escape(page)}</w:t></w:r>{end}</w:p>')


def above_table_xml(left: str, right: str, style_id: str, width: int):
    """The line over a table: `left` at the margin, `right` against the right edge (a right tab at
    the text width, which the table fills) — or alone, right-aligned by the style."""
    if not left:
        return paragraph_xml(right, style_id, keep_next=True)
    tab = (f'<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">{escape(right)}</w:t></w:r>') if right else ""
    return parse_xml(f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="{escape(style_id)}"/><w:keepNext/>'
                     f'<w:tabs><w:tab w:val="right" w:pos="{width}"/></w:tabs><w:jc w:val="left"/></w:pPr>'
                     f'<w:r><w:t xml:space="preserve">{escape(left)}</w:t></w:r>{tab}</w:p>')


class Sections:
    """Section properties made from the template's own (page size, margins, header, footer)."""

    def __init__(self, document):
        body = document.find(q("body"))
        final = body.find(q("sectPr")) if body is not None else None
        self.final = copy.deepcopy(final) if final is not None else None
        size = self._find("pgSz")
        margins = self._find("pgMar")
        width, height = self._twips(size, "w", 11906), self._twips(size, "h", 16838)
        left, right = self._twips(margins, "left", 1587), self._twips(margins, "right", 1474)
        self.body_width = width - left - right  # a table among the text, on the text's page
        self.page = Page(portrait=width - 2 * TABLE_MARGIN, landscape=height - 2 * TABLE_MARGIN)

    def _find(self, tag: str):
        return self.final.find(q(tag)) if self.final is not None else None

    @staticmethod
    def _twips(element, attribute: str, default: int) -> int:
        value = element.get(q(attribute)) if element is not None else None
        return int(value) if value and value.lstrip("-").isdigit() else default

    def _copy(self):
        if self.final is None:
            return parse_xml(f'<w:sectPr xmlns:w="{W}"/>')
        section = copy.deepcopy(self.final)
        for tag in ("titlePg", "type"):
            for element in section.findall(q(tag)):
                section.remove(element)
        return section

    def portrait(self):
        return self._copy()

    def cover(self):
        """The cover's section: no header, no footer, so no page number on it."""
        section = self._copy()
        for tag in ("headerReference", "footerReference"):
            for element in section.findall(q(tag)):
                section.remove(element)
        return section

    def table(self, landscape: bool):
        """The section of a standard table's pages: TABLE_MARGIN all round, turned when landscape."""
        section = self._copy()
        size, margins = section.find(q("pgSz")), section.find(q("pgMar"))
        if size is None:
            size = parse_xml(f'<w:pgSz xmlns:w="{W}" w:w="11906" w:h="16838"/>')
            section.append(size)
        if margins is None:
            margins = parse_xml(f'<w:pgMar xmlns:w="{W}" w:header="720" w:footer="720" w:gutter="0"/>')
            size.addnext(margins)
        if landscape:
            width, height = size.get(q("w")), size.get(q("h"))
            size.set(q("w"), height or "16838")
            size.set(q("h"), width or "11906")
            size.set(q("orient"), "landscape")
        for side in ("top", "right", "bottom", "left"):
            margins.set(q(side), str(TABLE_MARGIN))
        return section


class Flow:
    """Where the body stands: the last paragraph, the headings that end the body so far, and
    whether the current page holds only headings (then a table or a part needs no page break)."""

    def __init__(self, body):
        self.body = body
        self.last_paragraph = None
        self.fresh = True
        self.trailing_headings: list = []  # the headings the body ends with: they go with what follows

    def add(self, element, heading: bool = False) -> None:
        self.body.append(element)
        self.added(element, heading)

    def added(self, element, heading: bool = False) -> None:
        is_paragraph = element.tag == q("p")
        starts_page = is_paragraph and element.find(f"{q('pPr')}/{q('pageBreakBefore')}") is not None
        self.fresh = heading and (starts_page or self.fresh)
        self.trailing_headings = [*self.trailing_headings, element] if heading else []
        if is_paragraph:
            self.last_paragraph = element

    def need_break(self) -> bool:
        return not self.fresh

    def new_page_started(self) -> None:
        self.fresh, self.trailing_headings = True, []

    def end_section_before_page(self, section) -> None:
        """End the section before what follows, the headings just before it going with it."""
        first = self.trailing_headings[0] if self.trailing_headings else None
        before = first.getprevious() if first is not None else self.last_element()
        if before is None or before.find(f"{q('pPr')}/{q('sectPr')}") is not None:
            return  # the body starts here, or a section already ends here
        if first is not None:  # the section break starts the page: a page break too would leave one blank
            for page_break in first.findall(f"{q('pPr')}/{q('pageBreakBefore')}"):
                page_break.getparent().remove(page_break)
        if before.tag == q("p"):
            paragraph_properties(before).append(section)
        else:  # a table: a paragraph of no height after it carries the break
            carrier = paragraph_xml("", "", tiny=True, section=section)
            carrier.find(q("pPr")).remove(carrier.find(f"{q('pPr')}/{q('pStyle')}"))
            before.addnext(carrier)
        self.fresh = True

    def last_element(self):
        children = [child for child in self.body if child.tag != q("sectPr")]
        return children[-1] if children else None

    def end_section(self, section) -> None:
        paragraph_properties(self.last_paragraph).append(section)
        self.new_page_started()


SETTINGS_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                                "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                                "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                                "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
                                "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def update_fields_on_open(settings) -> None:
    """Word updates the 目录 (and every field) when it opens the file (`settings`: the settings part's root)."""
    if settings.find(q("updateFields")) is not None:
        return
    element = etree.Element(q("updateFields"))
    element.set(q("val"), "true")
    later = next((child for child in settings if etree.QName(child).localname in SETTINGS_AFTER_UPDATE_FIELDS), None)
    if later is not None:
        later.addprevious(element)
    else:
        settings.append(element)


def picture_xml(style_id: str, relationship: str, size: tuple[int, int], width_cm: float, number: int) -> object:
    """A paragraph holding the document's picture `number` (from 1), `width_cm` wide, its height from
    its pixel size; the ids of all pictures are numbered again when the file is finished."""
    width = int(width_cm * EMU_PER_CM)
    height = round(width * size[1] / size[0])
    extent = f'cx="{width}" cy="{height}"'
    return parse_xml(
        f'<w:p xmlns:w="{W}" xmlns:r="{R}" xmlns:wp="{WP}"><w:pPr><w:pStyle w:val="{escape(style_id)}"/></w:pPr>'
        f'<w:r><w:drawing><wp:inline xmlns:a="{A}" xmlns:pic="{PIC}"><wp:extent {extent}/>'
        f'<wp:docPr id="{number}" name="Picture {number}"/><wp:cNvGraphicFramePr>'
        '<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="{PIC}"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{escape(relationship)}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext {extent}/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
        '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
