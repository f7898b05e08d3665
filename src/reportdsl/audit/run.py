"""Import a published document, check the report written from it, and keep what a reviewer needs:
the findings (problems of the document), what could not be compared, and the kept `.rpt`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import attrs

from ..diagnostics import Diagnostic
from ..importing.listed import LIST_CHECK
from .judged import Judgements, read_judgements, reattach
from .locate import Finding, locate_all
from .prose_arithmetic import prose_arithmetic

# What a check of an imported report says about the importer rather than the document: a value the
# importer could not read ('?') or a figure no table gave. These are counted as "not compared". A
# printed figure whose value is undefined because its base is zero stays a finding: the document
# prints a rate that has no value.
NOT_READ_CODES = {"RD401"}
# Faults of wording are looked for in the document's own paragraphs (document_checks), each once,
# rather than in the sentences the import stated or kept.
FROM_THE_TEXT = {"RD403", "RD540", "RD541"}
NO_FIGURE = "the report gives no figure"
# The import found no part of the layout, or no cover: the text is still audited on its face.
NOT_ON_THE_LAYOUT = {"RD504", "RD508"}
ZERO_BASE = ("over a zero base", "division by zero")


@attrs.frozen
class Audit:
    file: str
    layout: str
    findings: tuple[Finding, ...]
    judged: tuple[Finding, ...]  # silenced by a `# judged:` comment in the kept .rpt
    compared: int  # printed figures compared with what the document's own data give
    not_read: int  # checks that could not be made because something was not read
    import_notes: tuple[Diagnostic, ...]  # what the importer could not read, and where
    kept: Optional[str]  # the kept .rpt, when asked for
    failed: Optional[str] = None  # why the document could not be audited at all
    sentences_matched: int = 0  # sentences of the prose matched to the layout's (their figures compared)
    text_only: Optional[str] = None  # why only the text's own arithmetic and wording were checked
    disclosure: object = attrs.field(default=None, eq=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


def rpt_name(path: str, keep: Optional[str]) -> str:
    folder = Path(keep) if keep else Path(path).parent
    return str(folder / (Path(path).stem + ".rpt"))


def audit_file(path: str, layout: str, keep: Optional[str] = None) -> Audit:
    """Never raises for a bad document: an audit that cannot be made says why in `failed`."""
    from ..importing import import_document

    imported = import_document(path, layout)
    if not imported.ok:
        reason = "; ".join(d.message for d in imported.diagnostics if d.is_error) or "cannot be imported"
        if {d.code for d in imported.diagnostics if d.is_error} <= NOT_ON_THE_LAYOUT:
            return text_audit(path, layout, reason, tuple(imported.diagnostics))
        return Audit(path, layout, (), (), 0, 0, tuple(imported.diagnostics), None, reason)
    kept_path = rpt_name(path, keep)
    judgements = read_judgements(kept_path) if keep else Judgements()
    text = reattach(imported.text, judgements)
    result = compile_imported(text, kept_path)
    findings, not_read = split(result.diagnostics)
    located = locate_all(findings, result, imported) + on_its_face(imported, layout, result)
    located += not_found_yet(prose_arithmetic(imported.disclosure), located)
    judged = tuple(f for f in located if judgements.silences(f))
    kept = write_kept(kept_path, text) if keep else None
    return Audit(path, layout, tuple(f for f in located if f not in judged), judged, compared_count(result),
                 len(not_read), tuple(imported.diagnostics), kept, disclosure=imported.disclosure,
                 sentences_matched=imported.summary.sentences_matched)


def text_audit(path: str, layout: str, reason: str, notes: tuple) -> Audit:
    """A document read, but not matched to the layout (worded otherwise, or its cover not found):
    its paragraphs are still checked on their face — their own arithmetic and their wording."""
    from ..importing.pipeline import read_document
    from .document_checks import wording_findings

    disclosure = read_document(path)
    arithmetic = prose_arithmetic(disclosure, identities=True)
    findings = tuple(list(wording_findings(disclosure)) + arithmetic)
    return Audit(path, layout, findings, (), arithmetic.compared, 0, notes, None, disclosure=disclosure,
                 text_only=reason)


def not_found_yet(more: list[Finding], found: list[Finding]) -> list[Finding]:
    """The prose's own arithmetic where the report's checks said nothing at that sentence (the import
    may have cut it at its last ；): a share bound to the layout is compared there already (RD308),
    with its explain chain."""
    marked = [(f.place.page, f.place.sentence) for f in found if f.place is not None and f.place.sentence]
    return [f for f in more if not any(page == f.place.page and (sentence in f.place.sentence or f.place.sentence in sentence)
                                       for page, sentence in marked)]


def on_its_face(imported, layout: str, result) -> list[Finding]:
    """What the document shows beyond its figures: wording, missing tables, units, headers."""
    from ..importing.assemble import load_layout
    from .document_checks import document_findings

    spec = load_layout(layout)
    standard = tuple(t.title for t in spec.tables if "决算" in t.title and t.title.endswith("表"))
    header = result.report.header if result.report is not None else None
    department = header.department if header is not None and header.department != "?" else None
    from .level_claims import level_findings
    from .prose_lists import list_findings
    from .sections import missing_sections

    standard = standard if imported.disclosure.kind != "text" else ()  # a text file is the narrative alone
    return document_findings(imported.disclosure, imported.summary.tables_matched, standard, department,
                             header.year if header is not None else None) \
        + list_findings(imported.disclosure, result.evaluator, dict(imported.locations)) \
        + (list(level_findings(imported.disclosure, spec.report, result.evaluator)) if result.evaluator else []) \
        + (list(missing_sections(imported.disclosure, spec.report)) if imported.disclosure.kind != "xlsx" else [])


def compile_imported(text: str, path: str):
    from ..compiler import Links, compile_source
    from ..source import SourceFile

    return compile_source(SourceFile(path, text), Links.default(path))


def split(diagnostics) -> tuple[list[Diagnostic], list[Diagnostic]]:
    findings, not_read = [], []
    for diagnostic in diagnostics:
        if diagnostic.code in FROM_THE_TEXT or diagnostic.message.startswith(LIST_CHECK):
            continue  # a list of a table's rows: reported once, as RD545 with the row's place (prose_lists)
        no_figure = NO_FIGURE in diagnostic.message and not any(words in diagnostic.message for words in ZERO_BASE)
        unread = diagnostic.code in NOT_READ_CODES or (diagnostic.code == "RD308" and no_figure)
        (not_read if unread else findings).append(diagnostic)
    return findings, not_read


def compared_count(result) -> int:
    if result.evaluator is None:
        return 0
    return sum(len(block.entries) for block in result.evaluator.stated) + len(result.evaluator.checks)


def write_kept(path: str, text: str) -> str:
    from ..atomic_write import write_all_atomic

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_all_atomic({Path(path): text.encode("utf-8")})
    return path
