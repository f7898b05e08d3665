"""Inline-source test helpers: a report snippet in, diagnostics or rendered text out."""

from __future__ import annotations

from reportdsl.compiler import Result, compile_text

HEADER = 'report "示例单位" year 2023 unit 万元\n'


def compile_snippet(body: str, header: str = HEADER) -> Result:
    return compile_text(header + body, "t.rpt")


def diagnose(body: str) -> list[tuple[str, int, int]]:
    """[(code, line, column)] of a snippet; line 1 is the header, the body starts on line 2."""
    result = compile_snippet(body)
    return [(d.code, d.span.line, d.span.column) for d in result.diagnostics]


def codes(body: str) -> list[str]:
    return [code for code, _, _ in diagnose(body)]


def paragraphs(body: str) -> list[str]:
    result = compile_snippet(body)
    assert not result.has_errors, [d.message for d in result.diagnostics]
    return result.document.paragraphs()


def say(template: str, definitions: str = "") -> str:
    """The one paragraph a template renders to."""
    return paragraphs(f'{definitions}\npart "p" {{ para "{template}" }}')[0]


def machine_is_busy() -> bool:
    """More runnable processes than twice the cores (other test runs, other builds): a wall-clock bound
    measured then says more about the neighbours than about the code, so timing tests only report."""
    import os

    return os.getloadavg()[0] > 2 * (os.cpu_count() or 1)


def assert_quick(seconds: float, bound: float, what: str) -> None:
    import warnings

    if machine_is_busy() and seconds >= bound:
        warnings.warn(f"{what} took {seconds * 1000:.0f} ms (bound {bound * 1000:.0f} ms) on a busy machine")
        return
    assert seconds < bound, f"{what} took {seconds * 1000:.0f} ms"


def document_of(report: str):
    """The document model of a snippet that compiles without errors."""
    result = compile_snippet(report)
    assert not result.has_errors, [d.message for d in result.diagnostics]
    return result.document


def import_made_text(tmp_path_factory, name: str, text: str, layout: str = "hubei"):
    """A made-up disclosure written to a file of its own and imported; the import must succeed."""
    from reportdsl.importing import import_document

    path = tmp_path_factory.mktemp(name.split(".")[0]) / name
    path.write_text(text, encoding="utf-8")
    imported = import_document(str(path), layout, name)
    assert imported.ok, [d.message for d in imported.diagnostics]
    return imported


def stated_figures(result) -> dict[str, list[str]]:
    """An import's stated figures: each expression with the literals bound to it, in print order."""
    found: dict[str, list[str]] = {}
    for stated in result.stated:
        found.setdefault(stated.expr, []).append(stated.literal)
    return found
