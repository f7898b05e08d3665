"""Word reader (python-docx): paragraphs and tables in document order, merged cells repeated in
every position they cover, the paragraphs just above a table as its captions."""

from __future__ import annotations

import re
import zipfile

from .ole import is_encrypted_office
from .problems import fail
from .source import Disclosure, Place, SourceParagraph, SourceTable, clean, is_heading, prose_text
from .table_shape import continued, continues, lift_captions

MAX_TABLES = 500
CAPTION_LINES = 3


def read_docx(path: str, shown: str) -> Disclosure:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if is_encrypted_office(path):
        raise fail("RD503", shown, "the Word file is protected by a password and cannot be read",
                   "save an unprotected copy in Word (文件 > 信息 > 保护文档) and import that")
    try:
        document = docx.Document(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise fail("RD501", shown, f"the file is not a readable Word (.docx) file ({type(exc).__name__})",
                   "if Word opens it, save it again as .docx and import that") from None
    return DocxReader(shown).read(document)


class DocxReader:
    def __init__(self, shown: str):
        self.shown = shown
        self.place = Place(shown)
        self.tables: list[SourceTable] = []
        self.paragraphs: list[SourceParagraph] = []
        self.pending: list[str] = []  # paragraphs since the last table: the next table's captions

    def read(self, document) -> Disclosure:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for element in document.element.body.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                self.add_paragraph(Paragraph(element, document))
            elif tag == "tbl":
                self.add_table(Table(element, document))
        cover = tuple(p.text for p in self.paragraphs[:4])
        return Disclosure(self.shown, "docx", cover, tuple(self.tables), tuple(self.paragraphs))

    def add_paragraph(self, paragraph) -> None:
        text = prose_text(paragraph.text)
        if not text:
            return
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = ("标题" in style or "Heading" in style or "Title" in style
                   or is_heading(text))
        after_table = bool(self.tables) and not self.pending
        if after_table and re.match(r"^(注|说明)[:：]", text):
            self.tables[-1] = _with_note(self.tables[-1], text)
        self.pending.append(text)
        self.paragraphs.append(SourceParagraph(text, self.place, heading))

    def add_table(self, table) -> None:
        if len(self.tables) >= MAX_TABLES:
            raise fail("RD510", self.shown, f"the file has more than {MAX_TABLES} tables: not a disclosure")
        lifted, rows = lift_captions([tuple(clean(cell.text) for cell in row.cells) for row in table.rows])
        captions = tuple(self.pending[-CAPTION_LINES:]) + lifted
        self.pending = []
        if self.tables and continues(self.tables[-1], rows, captions):
            self.tables[-1] = continued(self.tables[-1], rows, None, broken_rows=False)  # set again after a page break
            return
        self.tables.append(SourceTable(self.place, captions, tuple(rows), (None,) * len(rows)))


def _with_note(table: SourceTable, text: str) -> SourceTable:
    return SourceTable(table.place, table.captions, table.rows, table.row_pages, table.notes + (text,))
