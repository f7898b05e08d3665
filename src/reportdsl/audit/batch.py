"""Auditing many documents: the files a folder holds, one job each, in worker processes with -j
(the machinery `compile` uses), each reported in one line as it finishes."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional

import attrs

from .run import Audit, audit_file

DOCUMENTS = (".pdf", ".docx", ".xlsx", ".txt", ".md")


@attrs.frozen
class AuditOptions:
    layout: str
    keep: Optional[str]


def document_files(arguments: Iterable[str]) -> list[str]:
    """The documents named, with every .pdf, .docx, .xlsx, .txt and .md under a named folder (Word's ~$ lock files left out)."""
    found: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found += sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in DOCUMENTS
                            and p.is_file() and not p.name.startswith("~$"))
        else:
            found.append(argument)
    return found


def audit_one(path: str, options: AuditOptions) -> Audit:
    try:
        return audit_file(path, options.layout, options.keep)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch, nor shows a traceback
        return Audit(path, options.layout, (), (), 0, 0, (), None,
                     f"internal error ({type(exc).__name__}: {exc}); this is a bug in reportdsl, please report it")


def _warm_up() -> None:
    from ..importing import pipeline  # noqa: F401
    from .. import compiler  # noqa: F401


def audit_all(paths: list[str], options: AuditOptions, jobs: int, on_each: Callable[[Audit], None],
              scheduler: Optional[str] = None) -> list[Audit]:
    from ..batch import run_jobs

    audits = []
    for audit in run_jobs(audit_one, paths, options, jobs, _warm_up, scheduler):
        on_each(audit)
        audits.append(audit)
    return audits


def batch_summary(audits: list[Audit]) -> str:
    failed = sum(1 for a in audits if a.failed)
    with_errors = sum(1 for a in audits if not a.failed and a.errors)
    with_warnings = sum(1 for a in audits if not a.failed and not a.errors and a.warnings)
    clean = len(audits) - failed - with_errors - with_warnings
    findings = sum(len(a.findings) for a in audits)
    return (f"{len(audits)} document(s): {clean} clean, {with_warnings} with warnings, {with_errors} with errors, "
            f"{failed} not audited; {findings} finding(s)")
