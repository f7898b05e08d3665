"""`reportdsl lsp`: the Language Server Protocol over stdio, on pygls.

One compiled copy of each open report is kept with its name index. An edit re-compiles only after
the typing pauses (DEBOUNCE); the prior-year report is compiled once and kept until its file
changes; the layout's parse comes from the parse cache. Diagnostics whose place is in the layout or
the prior-year report are shown on the header clause that names that file, with a link there.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Optional

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..compiler import Result, normalize_newlines
from .file_cache import warm_parser
from .session import EditSession
from ..diagnostics import Diagnostic, Severity
from ..source import SourceFile, Span
from . import features
from .index import NameIndex

DEBOUNCE = 0.08  # seconds of quiet after a keystroke before the report is compiled again

SYMBOL_KINDS = {"part": lsp.SymbolKind.Namespace, "section": lsp.SymbolKind.Module, "items": lsp.SymbolKind.Struct,
                "item": lsp.SymbolKind.Field, "figure": lsp.SymbolKind.Constant, "check": lsp.SymbolKind.Event,
                "table": lsp.SymbolKind.Array, "chart": lsp.SymbolKind.Object}
COMPLETION_KINDS = {"figure": lsp.CompletionItemKind.Constant, "tree": lsp.CompletionItemKind.Struct,
                    "item": lsp.CompletionItemKind.EnumMember, "measure": lsp.CompletionItemKind.Field,
                    "field": lsp.CompletionItemKind.Property, "format": lsp.CompletionItemKind.Unit,
                    "keyword": lsp.CompletionItemKind.Keyword, "function": lsp.CompletionItemKind.Function,
                    "builtin": lsp.CompletionItemKind.Variable}


class Compiled:
    """A compiled version of an open file; its name index is built when first asked for (a hover),
    not on the way to the diagnostics."""

    def __init__(self, version: Optional[int], result: Result):
        self.version, self.result = version, result
        self._index: Optional[NameIndex] = None

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            self._index = NameIndex(self.result)
        return self._index


class ReportServer(LanguageServer):
    def __init__(self):
        super().__init__("reportdsl", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.compiled: dict[str, Compiled] = {}
        self.last_good: dict[str, Compiled] = {}  # the last compile that got past parsing, for names while typing
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.session = EditSession()

    # ---- compiling ----------------------------------------------------------------------------------

    def compile(self, uri: str) -> Compiled:
        document = self.workspace.get_text_document(uri)
        result = self.session.check(to_fs_path(uri) or uri, document.source)
        compiled = Compiled(document.version, result)
        self.compiled[uri] = compiled
        if result.evaluator is not None:
            self.last_good[uri] = compiled
        return compiled

    def check(self, uri: str) -> None:
        """Compile now and publish the diagnostics; reports that use this file are checked again too."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return
        compiled = self.compile(uri)
        self.publish(uri, compiled)
        changed = str(Path(to_fs_path(uri) or uri).resolve())
        for other, kept in list(self.compiled.items()):
            if other != uri and changed in {str(Path(p).resolve()) for p in kept.result.sources if p != kept.result.source.path}:
                self.publish(other, self.compile(other))

    def check_later(self, uri: str) -> None:
        if uri in self.pending:
            self.pending[uri].cancel()
        self.pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE, self.check, uri)

    def publish(self, uri: str, compiled: Compiled) -> None:
        result = compiled.result
        shown = [to_lsp_diagnostic(d, result) for d in result.diagnostics]
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, [d for d in shown if d], compiled.version))

    def current(self, uri: str) -> Optional[Compiled]:
        """The latest compile that has names (one with a syntax error has none: the one before it)."""
        if uri not in self.compiled and uri in self.workspace.text_documents:
            self.compile(uri)
        return self.last_good.get(uri) or self.compiled.get(uri)


# ---- positions ---------------------------------------------------------------------------------------


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position_of(source: SourceFile, offset: int) -> lsp.Position:
    line, column = source.position(offset)
    return lsp.Position(line - 1, utf16_units(source.line_text(line)[: column - 1]))


def range_of(source: SourceFile, span: Span) -> lsp.Range:
    return lsp.Range(position_of(source, span.start), position_of(source, span.end))


def offset_of(source: SourceFile, position: lsp.Position) -> int:
    text, units, column = source.line_text(position.line + 1), 0, 0
    while column < len(text) and units < position.character:
        units += utf16_units(text[column])
        column += 1
    return source.offset(position.line + 1, column + 1)


def uri_of(path: str) -> str:
    return from_fs_path(str(Path(path).resolve()))


def location_of(result: Result, span: Span) -> Optional[lsp.Location]:
    source = result.sources.get(span.path)
    return lsp.Location(uri_of(span.path), range_of(source, span)) if source is not None else None


# ---- diagnostics ---------------------------------------------------------------------------------------


def to_lsp_diagnostic(diagnostic: Diagnostic, result: Result) -> Optional[lsp.Diagnostic]:
    """In this file, at its place; in the layout or last year's report, on the header clause naming it."""
    source, span = result.source, diagnostic.span
    related = [lsp.DiagnosticRelatedInformation(location, note) for related_span, note in diagnostic.related
               if (location := location_of(result, related_span)) is not None]
    message = "\n".join([diagnostic.message, *diagnostic.help])
    if span is None or not span.line:
        where = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    elif span.path == source.path:
        where = range_of(source, span)
    else:
        elsewhere = location_of(result, span)
        if elsewhere is None:
            return None
        related.insert(0, lsp.DiagnosticRelatedInformation(elsewhere, "the place of this problem"))
        message = f"{Path(span.path).name}:{span.line}: {message}"
        where = range_of(source, header_clause(result, span.path))
    severity = lsp.DiagnosticSeverity.Error if diagnostic.severity is Severity.ERROR else lsp.DiagnosticSeverity.Warning
    return lsp.Diagnostic(where, message, severity, code=diagnostic.code, source="reportdsl",
                          related_information=related or None)


def header_clause(result: Result, path: str) -> Span:
    header = result.report.header if result.report is not None else None
    if header is not None:
        is_prior = result.prior is not None and path in result.prior.sources
        clause = header.prior.span if is_prior and header.prior is not None else header.layout_span
        if clause is not None:
            return clause
        if header.span is not None:
            return header.span
    return result.source.span(0, 0)


# ---- the server -------------------------------------------------------------------------------------------


def make_server() -> ReportServer:
    server = ReportServer()

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: ReportServer, params: lsp.InitializedParams):
        # An opened file's parse comes from the cache; the first keystroke needs the parser itself.
        warm_parser()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ReportServer, params: lsp.DidOpenTextDocumentParams):
        ls.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ReportServer, params: lsp.DidChangeTextDocumentParams):
        ls.check_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ReportServer, params: lsp.DidSaveTextDocumentParams):
        ls.check(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ReportServer, params: lsp.DidCloseTextDocumentParams):
        ls.compiled.pop(params.text_document.uri, None)
        ls.last_good.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(params.text_document.uri, []))

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: ReportServer, params: lsp.HoverParams):
        compiled = ls.current(params.text_document.uri)
        if compiled is None:
            return None
        source = compiled.result.source
        found = features.hover(compiled.index, source.path, offset_of(source, params.position))
        if found is None:
            return None
        span, text = found
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), range_of(source, span))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: ReportServer, params: lsp.DefinitionParams):
        occurrence = _occurrence(ls, params)
        if occurrence is None or occurrence.target is None:
            return None
        return location_of(ls.current(params.text_document.uri).result, occurrence.target)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: ReportServer, params: lsp.ReferenceParams):
        occurrence = _occurrence(ls, params)
        if occurrence is None or occurrence.target is None:
            return None
        compiled = ls.current(params.text_document.uri)
        found = [o for o in compiled.index.references(occurrence.target)
                 if params.context.include_declaration or o.span != occurrence.target]
        return [location for o in found if (location := location_of(compiled.result, o.span)) is not None]

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", "[", ":", "{"]))
    def completion(ls: ReportServer, params: lsp.CompletionParams):
        compiled = ls.current(params.text_document.uri)
        if compiled is None:
            return None
        # complete against the text as typed, with the names of the last compile
        document = ls.workspace.get_text_document(params.text_document.uri)
        source = SourceFile(compiled.result.source.path, normalize_newlines(document.source))
        candidates = features.completions(compiled.index, source, offset_of(source, params.position))
        return lsp.CompletionList(False, [lsp.CompletionItem(c.label, kind=COMPLETION_KINDS[c.kind], detail=c.detail or None)
                                          for c in candidates])

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: ReportServer, params: lsp.DocumentSymbolParams):
        compiled = ls.current(params.text_document.uri)
        if compiled is None:
            return None
        result = compiled.result
        return [_symbol(result.source, s) for s in features.outline(result.report, result.source.path)]

    @server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
    def folding_range(ls: ReportServer, params: lsp.FoldingRangeParams):
        compiled = ls.current(params.text_document.uri)
        if compiled is None:
            return None
        return [lsp.FoldingRange(first - 1, last - 1)
                for first, last in features.folding_ranges(compiled.result.report, compiled.result.source)]

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: ReportServer, params: lsp.DocumentFormattingParams):
        from ..diagnostics import CompileError
        from ..fmt_command import NotLossless, formatted

        document = ls.workspace.get_text_document(params.text_document.uri)
        source = SourceFile(to_fs_path(document.uri) or document.uri, normalize_newlines(document.source))
        try:
            text = formatted(source)
        except (CompileError, NotLossless):
            return None  # a file that does not parse is left as it is; its diagnostics say why
        if text == source.text:
            return []
        return [lsp.TextEdit(lsp.Range(lsp.Position(0, 0), position_of(source, len(source.text))), text)]

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: ReportServer, params: lsp.CodeActionParams):
        compiled = ls.current(params.text_document.uri)
        if compiled is None:
            return None
        uri, source = params.text_document.uri, compiled.result.source
        actions = []
        for diagnostic in compiled.result.diagnostics:
            span = diagnostic.span
            if span is None or span.path != source.path or not _overlaps(range_of(source, span), params.range):
                continue
            for fix in features.quick_fixes(compiled.index, diagnostic):
                edit = lsp.TextEdit(range_of(source, fix.span), fix.new_text)
                actions.append(lsp.CodeAction(fix.title, kind=lsp.CodeActionKind.QuickFix, is_preferred=True,
                                              diagnostics=[to_lsp_diagnostic(diagnostic, compiled.result)],
                                              edit=lsp.WorkspaceEdit(changes={uri: [edit]})))
        return actions

    return server


def _occurrence(ls: ReportServer, params):
    compiled = ls.current(params.text_document.uri)
    if compiled is None:
        return None
    source = compiled.result.source
    return compiled.index.at(source.path, offset_of(source, params.position))


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position):
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _symbol(source: SourceFile, symbol: features.Symbol) -> lsp.DocumentSymbol:
    where = range_of(source, symbol.span)
    return lsp.DocumentSymbol(symbol.name, SYMBOL_KINDS[symbol.kind], where, lsp.Range(where.start, where.start),
                              children=[_symbol(source, child) for child in symbol.children] or None)


def serve() -> None:
    make_server().start_io()
