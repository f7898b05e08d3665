"""What a reviewer reads: each finding at its place in the document, a line per document, and the
same as JSON (schema: docs/audit.schema.json) or CSV rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from ..importing.located import Location
from .locate import Finding
from .run import Audit

SCHEMA_VERSION = 1


def where_text(place: Optional[Location], shown: str) -> str:
    """'x.pdf, page 14, 表六 一般公共预算财政拨款基本支出决算表, row 302 商品和服务支出, column 决算数'."""
    if place is None:
        return f"{shown}, (the document as a whole)"
    pieces = [shown]
    if place.page is not None:
        pieces.append(f"page {place.page}")
    if place.sheet:
        pieces.append(f"sheet {place.sheet}")
    if place.table:
        pieces.append(place.table)
    if place.section:
        pieces.append(f"section {place.section}")
    if place.row:
        pieces.append(f"row {place.row}")
    if place.column:
        pieces.append(f"column {place.column}")
    return ", ".join(pieces)


def marked_sentence(place: Location) -> Optional[str]:
    """The sentence with the figure between 【 】."""
    if not place.sentence:
        return None
    if place.span is None:
        return place.sentence
    start, end = place.span
    return f"{place.sentence[:start]}【{place.sentence[start:end]}】{place.sentence[end:]}"


def finding_text(finding: Finding, shown: str) -> str:
    lines = [f"{where_text(finding.place, shown)}: {finding.severity}[{finding.code}]: {finding.message}"]
    if finding.place is not None and marked_sentence(finding.place):
        lines.append(f"  = sentence: {marked_sentence(finding.place)}")
    if finding.printed is not None:
        lines.append(f"  = printed: {finding.printed}; the document's own data give: {finding.expected}")
    lines += [f"  = also printed at: {where_text(p, shown)}" for p in finding.places[1:4]]
    lines += [f"  = explain: {step}" for step in finding.explain]
    lines += [f"  = help: {text}" for text in finding.help]
    if finding.rpt:
        lines.append(f"  = .rpt: {finding.rpt}: {finding.rpt_text}")
    return "\n".join(lines)


def summary_line(audit: Audit) -> str:
    shown = audit.file
    if audit.failed:
        return f"{shown}: not audited: {audit.failed}"
    judged = f", {len(audit.judged)} judged" if audit.judged else ""
    kept = f"; kept {audit.kept}" if audit.kept else ""
    if audit.text_only:
        return (f"{shown}: {audit.errors} error(s), {audit.warnings} warning(s); the text alone checked "
                f"({audit.compared} rates and shares against its own figures, and its wording): {audit.text_only}")
    return (f"{shown}: {audit.errors} error(s), {audit.warnings} warning(s){judged}; "
            f"{audit.compared} figures and checks compared, {audit.not_read} not compared (not read){kept}")


def audit_text(audit: Audit) -> str:
    parts = [finding_text(f, audit.file) for f in audit.findings]
    parts.append(summary_line(audit))
    return "\n\n".join(parts)


# ---- JSON -------------------------------------------------------------------------------------------------


def location_json(place: Location) -> dict:
    return {"page": place.page, "sheet": place.sheet, "table": place.table, "row": place.row,
            "column": place.column, "section": place.section, "sentence": place.sentence,
            "span": list(place.span) if place.span else None}


def finding_json(finding: Finding) -> dict:
    return {"code": finding.code, "severity": finding.severity, "message": finding.message,
            "where": location_json(finding.place) if finding.place else None,
            "also": [location_json(p) for p in finding.places[1:]],
            "printed": finding.printed, "expected": finding.expected, "explain": list(finding.explain),
            "help": list(finding.help), "rpt": finding.rpt, "rpt_text": finding.rpt_text}


def audit_json(audit: Audit) -> dict:
    return {"file": audit.file, "layout": audit.layout, "audited": audit.failed is None, "failed": audit.failed,
            "errors": audit.errors, "warnings": audit.warnings, "compared": audit.compared,
            "not_read": audit.not_read, "kept": audit.kept, "text_only": audit.text_only,
            "findings": [finding_json(f) for f in audit.findings],
            "judged": [finding_json(f) for f in audit.judged],
            "import_notes": [d.message for d in audit.import_notes]}


def audits_json(audits: list[Audit]) -> str:
    return json.dumps({"version": SCHEMA_VERSION, "documents": [audit_json(a) for a in audits]},
                      ensure_ascii=False, indent=2)


# ---- CSV: one row per finding, for the bureau's spreadsheet -------------------------------------------------

CSV_COLUMNS = ("file", "severity", "code", "page", "sheet", "table", "row", "column", "section", "sentence",
               "printed", "expected", "message", "rpt")


def csv_rows(audits: list[Audit]) -> list[list[str]]:
    rows = []
    for audit in audits:
        for finding in audit.findings:
            place = finding.place or Location(audit.file)
            rows.append([audit.file, finding.severity, finding.code, "" if place.page is None else str(place.page),
                         place.sheet or "", place.table or "", place.row or "", place.column or "",
                         place.section or "", marked_sentence(place) or "", finding.printed or "",
                         finding.expected or "", finding.message, finding.rpt or ""])
    return rows


def audits_csv(audits: list[Audit]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(audits))
    return out.getvalue()


def display_name(path: str) -> str:
    return Path(path).name
