"""The reviewer's page: each document's paragraphs and tables as read, every finding highlighted
where it is printed and listed in a side panel with a link to it. One self-contained file: no
script, no font, no image from anywhere, so it reads offline and prints."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Iterator, Optional

from ..importing.located import Location
from ..importing.source import SourceParagraph, SourceTable, amount_of
from .locate import Finding
from .report import marked_sentence, summary_line, where_text
from .run import Audit

STYLE = """
body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;font-size:14px;color:#222}
#panel{position:fixed;top:0;right:0;width:34%;height:100%;overflow:auto;background:#f6f6f4;border-left:1px solid #ccc;padding:0 12px;box-sizing:border-box}
#doc{width:64%;padding:8px 16px;box-sizing:border-box}
h1{font-size:18px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #999}
table{border-collapse:collapse;margin:8px 0 16px}td{border:1px solid #bbb;padding:2px 6px;font-size:12px}
td.n{text-align:right;font-variant-numeric:tabular-nums}.page{color:#888;font-size:11px;margin-top:12px}
mark.error,td.error{background:#ffc9c9;outline:2px solid #d33}mark.warning,td.warning{background:#ffe8a3;outline:2px solid #c90}
.finding{margin:8px 0;padding:6px;border-left:4px solid #d33;background:#fff}.finding.warning{border-left-color:#c90}
.finding a{font-weight:bold}.where{color:#555}.small{font-size:12px;color:#444;white-space:pre-wrap}
"""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def audits_html(audits: list[Audit]) -> str:
    panel, body = [], []
    for number, audit in enumerate(audits):
        panel += panel_items(audit, number)
        body += document_blocks(audit, number)
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<title>reportdsl audit</title><style>" + STYLE + "</style></head><body>\n"
            "<div id=\"doc\"><h1>reportdsl audit</h1>\n" + "\n".join(body) + "</div>\n"
            "<div id=\"panel\"><h1>Findings</h1>\n" + "\n".join(panel) + "</div>\n</body></html>\n")


def anchor(document: int, finding: int) -> str:
    return f"d{document}-f{finding}"


def panel_items(audit: Audit, number: int) -> list[str]:
    items = [f"<h2>{esc(audit.file)}</h2><p>{esc(summary_line(audit))}</p>"]
    for index, finding in enumerate(audit.findings):
        sentence = marked_sentence(finding.place) if finding.place else None
        figures = (f"<div>printed <b>{esc(finding.printed)}</b>; the document's own data give "
                   f"<b>{esc(finding.expected)}</b></div>" if finding.printed else "")
        items.append(
            f"<div class=\"finding {esc(finding.severity)}\"><a href=\"#{anchor(number, index)}\">"
            f"{esc(finding.severity)}[{esc(finding.code)}]</a> {esc(finding.message)}"
            f"<div class=\"where\">{esc(where_text(finding.place, audit.file))}</div>"
            + (f"<div>{esc(sentence)}</div>" if sentence else "") + figures
            + (f"<div class=\"small\">{esc(chr(10).join(finding.explain))}</div>" if finding.explain else "")
            + (f"<div class=\"small\">.rpt: {esc(finding.rpt)}</div>" if finding.rpt else "") + "</div>")
    return items


# ---- the document ---------------------------------------------------------------------------------------


def in_order(disclosure) -> Iterator[object]:
    """Paragraphs and tables in document order: each table right after its last caption line."""
    tables = list(disclosure.tables)
    for paragraph in disclosure.paragraphs:
        while tables and not tables[0].captions and tables[0].place.page is not None \
                and paragraph.place.page is not None and paragraph.place.page > tables[0].place.page:
            yield tables.pop(0)
        yield paragraph
        if tables and tables[0].captions and tables[0].captions[-1] == paragraph.text:
            yield tables.pop(0)
    yield from tables


def document_blocks(audit: Audit, number: int) -> list[str]:
    blocks = [f"<h2>{esc(audit.file)}</h2>"]
    if audit.disclosure is None:
        return blocks + [f"<p>{esc(audit.failed or 'nothing read')}</p>"]
    marks = Marks(audit, number)
    page = None
    for block in in_order(audit.disclosure):
        if block.place.page is not None and block.place.page != page:
            page = block.place.page
            blocks.append(f"<div class=\"page\">page {page}</div>")
        if isinstance(block, SourceParagraph):
            blocks.append(marks.paragraph(block))
        else:
            blocks.append(marks.table(block))
    blocks += [f"<p id=\"{anchor(number, i)}\">(not located in the text read) {esc(f.message)}</p>"
               for i in marks.unplaced()]
    return blocks


class Marks:
    """Which finding marks which sentence or cell; each finding's anchor goes on its first mark."""

    def __init__(self, audit: Audit, number: int):
        self.findings = list(enumerate(audit.findings))
        self.number = number
        self.placed: set[int] = set()

    def attributes(self, index: int, finding: Finding, extra: str = "") -> str:
        id_text = "" if index in self.placed else f" id=\"{anchor(self.number, index)}\""
        self.placed.add(index)
        classes = f"{extra} {finding.severity}".strip()
        return f"{id_text} class=\"{esc(classes)}\" title=\"{esc(finding.code + ': ' + finding.message)}\""

    def unplaced(self) -> list[int]:
        return [i for i, _ in self.findings if i not in self.placed]

    def paragraph(self, paragraph: SourceParagraph) -> str:
        text = paragraph.text
        cuts = []
        for index, finding in self.findings:
            place = finding.place
            if place is None or not place.sentence or place.sentence not in text:
                continue
            start = text.index(place.sentence)
            low, high = place.span if place.span else (0, len(place.sentence))
            cuts.append((start + low, start + high, index, finding))
        out, at = [], 0
        for low, high, index, finding in sorted(cuts):
            if low < at:
                continue
            out.append(esc(text[at:low]))
            out.append(f"<mark{self.attributes(index, finding)}>{esc(text[low:high])}</mark>")
            at = high
        out.append(esc(text[at:]))
        tag = "h3" if paragraph.is_heading else "p"
        return f"<{tag}>{''.join(out)}</{tag}>"

    def table(self, table: SourceTable) -> str:
        marked = self.cells_marked(table)
        rows = []
        for r, row in enumerate(table.rows):
            cells = []
            for c, text in enumerate(row):
                numeric = " n" if amount_of(text) is not None else ""
                found = marked.get((r, c))
                if found is None:
                    cells.append(f"<td class=\"{numeric.strip()}\">{esc(text)}</td>" if numeric else f"<td>{esc(text)}</td>")
                else:
                    index, finding = found
                    marked_attributes = self.attributes(index, finding, numeric.strip())
                    cells.append(f"<td{marked_attributes}>{esc(text)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        notes = "".join(f"<p>{esc(n)}</p>" for n in table.notes)
        return "<table>" + "".join(rows) + "</table>" + notes

    def cells_marked(self, table: SourceTable) -> dict:
        marked = {}
        for index, finding in self.findings:
            for place in finding.places:
                for cell in cells_of(table, place, figure_text(finding.printed) if place is finding.place else None):
                    marked.setdefault(cell, (index, finding))
        return marked


def squeeze(text: Optional[str]) -> str:
    return "".join((text or "").split())


def figure_text(printed: Optional[str]) -> Optional[Decimal]:
    if not printed:
        return None
    return amount_of(printed.split()[0])


def cells_of(table: SourceTable, place: Location, printed: Optional[Decimal]) -> list[tuple[int, int]]:
    """The cells of `table` a location names: its row by code or name, then the column by its header
    words, or else the cells of that row printing the figure."""
    if place.table is None or place.row is None or not table_named(table, place):
        return []
    rows = [r for r, row in enumerate(table.rows) if row_named(row, place.row)
            and any(amount_of(text) is not None for text in row)
            and (place.page is None or table.row_pages[r] in (None, place.page))]
    found = []
    for r in rows[:1]:
        columns = column_indexes(table, place.column)
        amounts = [c for c, text in enumerate(table.rows[r]) if amount_of(text) is not None
                   and (printed is None or amount_of(text) == printed)]
        chosen = [c for c in columns if c in amounts] or (amounts if printed is not None else columns[:1])
        found += [(r, c) for c in chosen[:1]]
    return found


def table_named(table: SourceTable, place: Location) -> bool:
    title = squeeze(place.table)
    return any(title in squeeze(caption) for caption in table.captions) or (
        place.page is not None and place.page in table.pages and not table.captions)


def row_named(row: tuple[str, ...], label: str) -> bool:
    words = label.split()
    cells = {squeeze(text) for text in row}
    return all(squeeze(word) in cells or any(squeeze(word) == squeeze(c)[-len(squeeze(word)):] for c in cells)
               for word in words[-1:]) and (len(words) < 2 or squeeze(words[0]) in cells or squeeze("".join(words)) in cells
                                            or any(squeeze(words[0]) in squeeze(c) for c in cells))


def column_indexes(table: SourceTable, column: Optional[str]) -> list[int]:
    """Columns whose header cells (the first rows without an amount) hold the column's last word."""
    if not column:
        return []
    last = squeeze(column.split()[-1])
    first_words = squeeze(column.split()[0]) if len(column.split()) > 1 else None
    found = []
    for row in table.rows[:5]:
        if any(amount_of(text) is not None for text in row):
            break
        for c, text in enumerate(row):
            if squeeze(text) == last and c not in found:
                found.append(c)
    if first_words:
        preferred = [c for c in found if any(squeeze(row[c]) == first_words for row in table.rows[:5] if c < len(row))]
        found = preferred or found
    return found
