"""Document -> Markdown: readable on a code forge and diffable line by line."""

from __future__ import annotations

from typing import Callable

from .. import model
from .typography import heading_text, tighten


def inert(text: str) -> str:
    """Text of a report as text: `<script>` or `&lt;` typed in a reason must not become HTML when the
    Markdown is shown on a forge or turned into a web page."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_cell(text: str) -> str:
    return inert(text).replace("|", "\\|").replace("\n", " ")


def above_line(table: model.TableModel) -> str:
    """The line over the table, its two sides apart by two ideographic spaces: 编制单位：…　　单位：万元."""
    return inert("\u3000\u3000".join(tighten(side) for side in table.above if side))


def header_labels(table: model.TableModel) -> list[str]:
    """Headers of several levels flattened into one row: 本年支出/合计, 预算数/公务用车购置及运行费/小计."""
    return ["/".join(path) for path in table.column_paths()]


class MarkdownRenderer:
    def __init__(self, document: model.Document, chart_paths: dict[str, str] | None = None):
        self.document = document
        self.chart_paths = chart_paths or {}
        self.caption = False  # the last heading titles the table that follows it
        self.dispatch: dict[type, Callable] = {
            model.Heading: self.heading,
            model.Paragraph: self.paragraph,
            model.TableModel: self.table,
            model.ChartModel: self.chart,
        }

    def render(self) -> str:
        pieces = [f"# {inert(tighten(self.document.title))}", *self.contents()]
        pieces += [self.dispatch[type(block)](block) for block in self.document.blocks]
        return "\n\n".join(pieces) + "\n"

    def contents(self) -> list[str]:
        """The 目录 as a nested list of the parts and sections (no page numbers: text has no pages)."""
        entries = [b for b in self.document.blocks if isinstance(b, model.Heading) and b.level <= 2]
        if not entries:
            return []
        lines = [f"{'  ' * (heading.level - 1)}- {inert(heading_text(heading))}" for heading in entries]
        return ["## 目录", "\n".join(lines)]

    def heading(self, heading: model.Heading) -> str:
        self.caption = heading.caption  # the table below is titled by this heading
        return f"{'#' * min(heading.level + 1, 6)} {inert(heading_text(heading))}"

    def paragraph(self, paragraph: model.Paragraph) -> str:
        return inert(tighten(paragraph.full_text))

    def table(self, table: model.TableModel) -> str:
        labels = header_labels(table)
        numeric = [any(row[i].numeric for row in table.rows if i < len(row)) for i in range(len(labels))]
        titled_by_heading, self.caption = self.caption, False
        lines = [] if titled_by_heading else [f"**{inert(tighten(table.title))}**", ""]
        lines += [above_line(table), ""] if any(table.above) else []
        lines.append("| " + " | ".join(escape_cell(label) for label in labels) + " |")
        lines.append("|" + "|".join("---:" if is_number else "---" for is_number in numeric) + "|")
        for row in table.rows:
            cells = [escape_cell(cell.text) for cell in row] + [""] * (len(labels) - len(row))
            lines.append("| " + " | ".join(cells) + " |")
        lines += [""] + [inert(tighten(note)) for note in table.notes] if table.notes else []
        return "\n".join(lines)

    def chart(self, chart: model.ChartModel) -> str:
        caption = inert(tighten(f"图{chart.number}：{chart.title}"))
        data = inert("；".join(f"{tighten(label)}：{text}" for label, text in zip(chart.labels, chart.value_texts)))
        image = self.chart_paths.get(chart.name)
        lines = [f"![{caption}]({image})"] if image else []
        lines += [f"*{caption}*（单位：{chart.unit}）：{data}"]
        return "\n\n".join(lines)


def render_markdown(document: model.Document, chart_paths: dict[str, str] | None = None) -> str:
    return MarkdownRenderer(document, chart_paths).render()
