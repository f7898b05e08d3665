"""`reportdsl audit`: a published disclosure imported and checked in one step, each finding located
in the document itself. Stages: run (import + check) -> locate (diagnostic -> page, table, row,
column or sentence) -> report (terminal, JSON, HTML, CSV); batch runs many documents."""

from .run import Audit, audit_file

__all__ = ["Audit", "audit_file"]
