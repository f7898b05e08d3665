"""Document -> HTML: a standalone, accessible page fit to publish on a website.

A cover (the title on a page of its own when printed), the 目录 linking to each part and section,
semantic headings, tables with <thead> and <th scope>, the unit line with each table, charts as
images beside the page with their figures also written out as text, and print CSS that starts each
table on a new page. Like every backend it lays out the model and never computes. For the live
preview (`reportdsl preview`) each figure of a sentence can be marked, so a click can ask how it
was obtained.
"""

from __future__ import annotations

from html import escape
from typing import Callable

from .. import model
from .typography import heading_text, tighten

STYLE = """\
:root { color-scheme: light; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; line-height: 1.8;
       max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { text-align: center; font-size: 1.7rem; }
header.cover { margin: 3rem 0; }
nav.contents ol { list-style: none; padding-left: 0; }
nav.contents ol ol { padding-left: 2em; }
nav.contents a { color: inherit; }
h2 { font-size: 1.35rem; margin-top: 2rem; }
h3, h4, h5, h6 { font-size: 1.1rem; }
p { text-indent: 2em; margin: 0.4rem 0; }
p.note, figcaption, p.chart-data { text-indent: 0; }
section.table { margin: 1.5rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #555; padding: 0.2rem 0.4rem; }
thead th { background: #eef1f5; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
caption .title { display: block; }
caption .unit { display: block; text-align: right; font-weight: normal; font-size: 0.9rem; }
caption .prepared { float: left; }
tbody th { font-weight: normal; text-align: left; }
figure.chart { margin: 1.5rem 0; text-align: center; }
figure.chart img { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; }
  header.cover { min-height: 80vh; display: flex; align-items: center; justify-content: center;
                 break-after: page; }
  nav.contents { break-after: page; }
  section.table { break-before: page; }
  tr, figure.chart { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def attribute(text: str) -> str:
    return escape(text, quote=True)


class HtmlRenderer:
    def __init__(self, document: model.Document, chart_paths: dict[str, str] | None = None,
                 mark_figures: bool = False):
        self.document = document
        self.chart_paths = chart_paths or {}
        self.mark_figures = mark_figures
        self.table_count = 0
        self.heading_count = 0
        self.pending_caption: model.Heading | None = None  # a section that only titles the table below
        self.dispatch: dict[type, Callable] = {
            model.Heading: self.heading,
            model.Paragraph: self.paragraph,
            model.TableModel: self.table,
            model.ChartModel: self.chart,
        }

    def render(self, extra_head: str = "", extra_body: str = "") -> str:
        title = escape(self.document.title)
        body = "\n".join(self.body())
        return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{title}</title>\n<style>\n{STYLE}</style>\n{extra_head}</head>\n"
                f"<body>\n<main>\n{body}\n</main>\n{extra_body}</body>\n</html>\n")

    def body(self) -> list[str]:
        pieces = [f'<header class="cover">\n<h1>{escape(tighten(self.document.title))}</h1>\n</header>', self.contents()]
        pieces += [self.dispatch[type(block)](block) for block in self.document.blocks]
        return [piece for piece in pieces if piece]

    def contents(self) -> str:
        """The 目录: the parts and their sections, nested, each a link to its heading."""
        entries = [(number, block) for number, block in enumerate(self.headings(), start=1) if block.level <= 2]
        if not entries:
            return ""
        lines = ['<nav class="contents" aria-labelledby="contents">', '<h2 id="contents">目录</h2>', "<ol>"]
        open_levels = [entries[0][1].level]  # the level of each list open, innermost last
        for position, (number, heading) in enumerate(entries):
            if position:
                while heading.level < open_levels[-1] and len(open_levels) > 1:
                    lines.append("</li></ol>")
                    open_levels.pop()
                if heading.level > open_levels[-1]:
                    lines.append("<ol>")
                    open_levels.append(heading.level)
                else:
                    lines.append("</li>")
            lines.append(f'<li><a href="#h{number}">{escape(heading_text(heading))}</a>')
        lines.append("</li>" + "</ol></li>" * (len(open_levels) - 1))
        lines += ["</ol>", "</nav>"]
        return "\n".join(lines)

    def headings(self) -> list[model.Heading]:
        return [block for block in self.document.blocks if isinstance(block, model.Heading)]

    def heading(self, heading: model.Heading) -> str:
        self.heading_count += 1
        if heading.caption:
            self.pending_caption = heading
            return ""
        level = min(heading.level + 1, 6)
        return f'<h{level} id="h{self.heading_count}">{escape(heading_text(heading))}</h{level}>'

    def paragraph(self, paragraph: model.Paragraph) -> str:
        text = tighten(paragraph.text)
        shown = self.marked_text(paragraph, text) if self.mark_figures else escape(text)
        return f"<p>{escape(paragraph.number)}{shown}</p>"

    def marked_text(self, paragraph: model.Paragraph, text: str) -> str:
        """The typeset text with each figure printed in it wrapped in a span naming the figure, for a
        click to ask how it was obtained. Figures are found in order; typesetting leaves them as they are."""
        first, last = paragraph.figures
        pieces, position = [], 0
        for index in range(first, last):
            use = self.document.figures[index]
            start = text.find(use.shown, position) if use.kind == "text" and use.shown else -1
            if start < 0:
                continue
            pieces.append(escape(text[position:start]))
            pieces.append(f'<span class="figure" role="button" tabindex="0" data-figure="{index}">'
                          f"{escape(use.shown)}</span>")
            position = start + len(use.shown)
        pieces.append(escape(text[position:]))
        return "".join(pieces)

    def table(self, table: model.TableModel) -> str:
        self.table_count += 1
        titled_by, self.pending_caption = self.pending_caption, None
        title = heading_text(titled_by) if titled_by else tighten(table.title)
        anchor = f' id="h{self.heading_count}"' if titled_by else ""
        left, right = (escape(tighten(side)) for side in table.above)
        prepared = f'<span class="prepared">{left}</span>' if left else ""
        unit = f'<span class="unit">{prepared}{right}</span>' if left or right else ""
        caption = f'<caption id="table-{self.table_count}"><span class="title">{escape(title)}</span>{unit}</caption>'
        lines = [f'<section class="table"{anchor} aria-labelledby="table-{self.table_count}">', "<table>", caption,
                 "<thead>"]
        lines += [self.header_row(row, is_top=index == 0 and len(table.header) > 1)
                  for index, row in enumerate(table.header)]
        lines += ["</thead>", "<tbody>"]
        lines += [self.body_row(row, table.width) for row in table.rows]
        lines += ["</tbody>", "</table>"]
        lines += [f'<p class="note">{escape(note)}</p>' for note in table.notes]
        lines.append("</section>")
        return "\n".join(line for line in lines if line)

    def header_row(self, row: tuple[model.HeaderCell, ...], is_top: bool) -> str:
        cells = []
        for cell in row:
            scope = "colgroup" if cell.colspan > 1 else "col"
            spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + \
                    (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
            cells.append(f'<th scope="{scope}"{spans}>{escape(cell.text)}</th>')
        return "<tr>" + "".join(cells) + "</tr>"

    def body_row(self, row: tuple[model.TableCell, ...], width: int) -> str:
        cells = []
        for index, cell in enumerate(row):
            if index == 0 and not cell.numeric:
                cells.append(f'<th scope="row">{escape(cell.text)}</th>')
            else:
                kind = ' class="number"' if cell.numeric else ""
                cells.append(f"<td{kind}>{escape(cell.text)}</td>")
        cells += ["<td></td>"] * (width - len(row))
        return "<tr>" + "".join(cells) + "</tr>"

    def chart(self, chart: model.ChartModel) -> str:
        caption = tighten(f"图{chart.number}：{chart.title}")
        data = "；".join(f"{tighten(label)}：{text}" for label, text in zip(chart.labels, chart.value_texts))
        lines = ['<figure class="chart">']
        image = self.chart_paths.get(chart.name)
        if image:
            lines.append(f'<img src="{attribute(image)}" alt="{attribute(caption + "：" + data)}">')
        lines.append(f"<figcaption>{escape(caption)}（单位：{escape(chart.unit)}）</figcaption>")
        lines.append(f'<p class="chart-data">{escape(data)}</p>')
        lines.append("</figure>")
        return "\n".join(lines)


def render_html(document: model.Document, chart_paths: dict[str, str] | None = None) -> str:
    return HtmlRenderer(document, chart_paths).render()
