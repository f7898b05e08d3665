"""Import: a published disclosure (.docx, .pdf, .xlsx, or its text) becomes a `.rpt` on a layout.

readers (one per file format, nothing of the language) -> `source.Disclosure` (tables and
paragraphs, each with its place in the file) -> `matcher` (the layout's tables and sentence
templates, nothing of file formats) -> `writer` (the report's text, as `reportdsl fmt` leaves it).
`import_document` is the one entry point; the audit builds on its `ImportResult`.
"""

from .pipeline import ImportResult, import_document

__all__ = ["ImportResult", "import_document"]
