"""Build the default Word template, src/reportdsl/templates/default.docx, and one per layout that
sets its documents otherwise (docx_styles.LOOKS: templates/shanghai-2024.docx).

The template carries the look of these documents (A4; title in 方正小标宋简体 falling back to 宋体;
headings in 黑体 and 楷体_GB2312; body in 仿宋_GB2312 三号 with a two-character first-line indent;
page numbers in the footer) as named styles, and the docxtpl tags the backend fills. A department's
own template needs the same style names and tags: docs/templates.md lists them.

Run: python scripts/build_template.py  (the output is committed; rebuild it after changing this file)
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from reportdsl.render.docx_styles import LOOKS, styles_for  # noqa: E402

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "reportdsl" / "templates"


def set_fonts(style, latin: str, east_asian: str) -> None:
    """Set both the Latin and the East Asian font; without w:eastAsia Word ignores a Chinese font name."""
    style.font.name = latin
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)


def add_style(document, spec) -> None:
    kind = WD_STYLE_TYPE.PARAGRAPH
    style = document.styles.add_style(spec.name, kind)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    set_fonts(style, spec.latin, spec.east_asian)
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold
    layout = style.paragraph_format
    # Body text is justified; a table cell or a 目录 line is left-aligned (no stretched gaps).
    left = WD_ALIGN_PARAGRAPH.JUSTIFY if spec.indent else WD_ALIGN_PARAGRAPH.LEFT
    layout.alignment = {"left": left, "center": WD_ALIGN_PARAGRAPH.CENTER,
                        "right": WD_ALIGN_PARAGRAPH.RIGHT}[spec.align]
    layout.first_line_indent = Pt(spec.size * 2) if spec.indent else None
    layout.space_before = Pt(spec.space_before)
    layout.space_after = Pt(spec.space_after)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY if spec.line else WD_LINE_SPACING.SINGLE
    if spec.line:
        layout.line_spacing = Pt(spec.line)
    layout.keep_with_next = spec.keep_with_next
    if spec.outline is not None:
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(spec.outline))
        style.element.get_or_add_pPr().append(outline)


def page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.style = "页码"
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# Word picks w:altName when the named font is not installed.
FONT_FALLBACKS = (("方正小标宋简体", "宋体"), ("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"),
                  ("黑体", "SimHei"), ("宋体", "SimSun"))


def add_font_fallbacks(document) -> None:
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    for name, alternative in FONT_FALLBACKS:
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alternative)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if name != "黑体" else "swiss")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def asian_latin_spacing(document) -> None:
    """The gap between Chinese and a figure is Word's to draw (the text has no space there)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    paragraph = defaults.find(qn("w:pPrDefault"))
    if paragraph is None:
        paragraph = OxmlElement("w:pPrDefault")
        defaults.append(paragraph)
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.append(properties)
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "1")
        properties.insert(0, element)


def drop_thumbnail(document) -> None:
    """python-docx's blank document carries a thumbnail of itself; a report should not."""
    package_rels = document.part.package.rels
    for key, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[key]


def build(look: str = "") -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    set_fonts(normal, "Times New Roman", "仿宋_GB2312")
    styles = styles_for(look)
    normal.font.size = Pt(next(spec.size for spec in styles if spec.name == "正文"))
    for spec in styles:
        add_style(document, spec)
    page_number_footer(section)
    # The body begins with its own cover (the title) and 目录.
    document.add_paragraph("{{p body }}", style="正文")
    asian_latin_spacing(document)
    add_font_fallbacks(document)
    drop_thumbnail(document)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "reportdsl"
    properties.title = "部门决算"
    return document


def main() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for look, name in (("", "default"), *((look, look) for look in LOOKS)):
        build(look).save(TEMPLATES / f"{name}.docx")
        print(f"wrote {TEMPLATES / name}.docx")


if __name__ == "__main__":
    main()
