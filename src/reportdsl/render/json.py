"""Document -> JSON: the evaluated model (figures with exact values, the document tree, the
diagnostics) for open-data portals and other tools. Keys come in a fixed order so that two exports
diff line by line; the schema is docs/model.schema.json."""

from __future__ import annotations

import json
from typing import Callable

from .. import model
from ..diagnostics import Diagnostic, to_json_obj

SCHEMA_ID = "https://reportdsl.invalid/schema/model-1.json"


def _line(span) -> int | None:
    return span.line if span is not None else None


def figure(named: model.NamedFigure) -> dict:
    return {"kind": named.kind, "name": named.name, "period": named.period, "value": named.value,
            "unit": named.unit, "shown": named.shown, "format": named.format, "gap": named.gap,
            "line": _line(named.span)}


def heading(block: model.Heading) -> dict:
    return {"type": "heading", "level": block.level, "number": block.number, "title": block.title,
            "line": _line(block.span)}


def paragraph(block: model.Paragraph) -> dict:
    return {"type": "paragraph", "number": block.number, "text": block.text, "line": _line(block.span)}


def table(block: model.TableModel) -> dict:
    return {
        "type": "table", "name": block.name, "title": block.title, "unit": block.unit,
        "above": {"left": block.above[0], "right": block.above[1]},
        "header": [[{"text": c.text, "colspan": c.colspan, "rowspan": c.rowspan} for c in row] for row in block.header],
        "rows": [[{"text": c.text, "numeric": c.numeric} for c in row] for row in block.rows],
        "notes": list(block.notes), "empty": block.empty, "line": _line(block.span),
    }


def chart(block: model.ChartModel) -> dict:
    return {"type": "chart", "kind": block.kind, "name": block.name, "number": block.number, "title": block.title,
            "unit": block.unit,
            "points": [{"label": label, "value": f"{value:f}", "shown": shown}
                       for label, value, shown in zip(block.labels, block.values, block.value_texts)],
            "line": _line(block.span)}


BLOCKS: dict[type, Callable[[object], dict]] = {
    model.Heading: heading, model.Paragraph: paragraph, model.TableModel: table, model.ChartModel: chart,
}


def model_json(document: model.Document, source_path: str, diagnostics: tuple[Diagnostic, ...]) -> dict:
    return {
        "$schema": SCHEMA_ID,
        "report": {"department": document.department, "year": document.year, "unit": document.unit,
                   "title": document.title, "source": source_path},
        "figures": [figure(named) for named in document.named],
        "document": [BLOCKS[type(block)](block) for block in document.blocks],
        "diagnostics": [to_json_obj(d) for d in diagnostics],
    }


def render_json(document: model.Document, source_path: str, diagnostics: tuple[Diagnostic, ...]) -> str:
    return json.dumps(model_json(document, source_path, diagnostics), ensure_ascii=False, indent=2) + "\n"
