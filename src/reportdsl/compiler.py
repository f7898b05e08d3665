"""The pipeline: read -> parse -> evaluate -> build the document -> check. No I/O beyond reading."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path
from typing import Callable, Optional

import attrs

from . import ast
from .checks import run_checks
from .causes_first import causes_first
from .dependencies import Provenance
from .comment_lint import swallowed_attributes
from .review_marks import review_marks
from .diagnostics import INTERNAL, Category, CompileError, Diagnostic, error, sort_unique, whole_file
from .document import build_document
from .evaluate import Evaluator
from .evaluated import Evaluated
from .limits import LimitExceeded
from .model import Document
from .names import NameTable
from .parser import parse
from .source import SourceFile, Span, normalize_newlines


@attrs.frozen
class Result:
    source: SourceFile
    diagnostics: tuple[Diagnostic, ...]
    report: Optional[ast.Report] = None
    evaluator: Optional[Evaluator] = attrs.field(default=None, eq=False)
    document: Optional[Document] = None
    prior: Optional["Result"] = attrs.field(default=None, eq=False)  # last year's report, when named
    layout: Optional[SourceFile] = attrs.field(default=None, eq=False)  # the layout file it follows
    names: Optional[NameTable] = attrs.field(default=None, eq=False)  # the resolved names, for tools

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    @property
    def sources(self) -> dict[str, SourceFile]:
        found = dict(self.prior.sources) if self.prior is not None else {}
        if self.layout is not None:
            found[self.layout.path] = self.layout
        found[self.source.path] = self.source
        return found


def read_source(path: str) -> SourceFile:
    """Read a report as UTF-8 (a BOM is allowed); raise CompileError with RD004 otherwise."""
    from .regular_files import FileTooLarge, read_regular_file

    try:
        data = read_regular_file(path)
    except IsADirectoryError:
        raise CompileError([error("RD004", "this is a directory, not a report", whole_file(path))]) from None
    except FileTooLarge as exc:
        raise CompileError([error("RD008", f"the file is too large to be a report ({exc.strerror})", whole_file(path))]) from None
    except OSError as exc:
        raise CompileError([error("RD004", f"cannot read the file: {exc.strerror or exc}", whole_file(path))]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _not_utf8(path, data, exc)
    return SourceFile(path, normalize_newlines(text))


def _not_utf8(path: str, data: bytes, exc: UnicodeDecodeError):
    line = data[: exc.start].count(b"\n") + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    hint = (f"the file looks like GBK, common in this field; convert it: iconv -f GBK -t UTF-8 {path} > converted.rpt"
            if _looks_like_gbk(data) else "save the file as UTF-8")
    span = Span(path, exc.start, exc.start, line, column)
    raise CompileError([error("RD004", f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x})", span, hint)])


def _looks_like_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


@attrs.frozen
class Links:
    """What imported files (a layout, a prior year's report) may be: inside `roots` (the report's own
    folder and those allowed with --allow-path; not the working folder, which may be anything, even /),
    and not a report already on `chain` (the reports that named this one as their prior year), which
    would be a cycle."""

    roots: tuple[Path, ...]
    chain: tuple[str, ...] = ()
    # How a prior-year report is compiled: compile_file, or the language server's, which keeps each
    # compiled file until it changes.
    compile_prior: Optional[Callable[[str, "Links"], "Result"]] = attrs.field(default=None, eq=False)
    # How a layout file is read and parsed: read_and_parse, or the language server's, which keeps it.
    parse_layout: Optional[Callable[[str], tuple[SourceFile, ast.Report]]] = attrs.field(default=None, eq=False)
    # How the report itself is parsed: parse (through the parse cache), or the language server's, which
    # does not fill the cache with every keystroke's text.
    parse_report: Optional[Callable[[SourceFile], ast.Report]] = attrs.field(default=None, eq=False)
    # How the document is built: build_document, or the editor's, which keeps what did not change.
    build_document: Optional[Callable[[ast.Report, Evaluated], Document]] = attrs.field(default=None, eq=False)
    # How the layout is merged into the report: layouts.apply_layout, or the editor's, which keeps the merge.
    apply_layout: Optional[Callable] = attrs.field(default=None, eq=False)
    # How each declared check is decided: checks.evaluate_check, or the editor's, which keeps them.
    judge_check: Optional[Callable] = attrs.field(default=None, eq=False)
    # The trees of the last compile (NameTable.reusable), for an editor compiling the same file again.
    kept_trees: Optional[dict] = attrs.field(default=None, eq=False)
    # Only names and values: a prior-year report known to have no errors (check_cache.py), whose
    # document and checks the next year does not read.
    values_only: bool = False

    @staticmethod
    def default(path: str, extra: tuple[str, ...] = ()) -> "Links":
        folders = (Path(path).parent, *map(Path, extra))
        return Links(tuple(folder.resolve() for folder in folders))

    def allows(self, target: str) -> Optional[str]:
        """None if `target` may be imported, else why not."""
        try:
            resolved = Path(target).resolve(strict=True)
        except FileNotFoundError:
            return None  # reading it will say it is missing
        except (RuntimeError, OSError) as exc:
            return f"its path cannot be resolved ({exc})"
        if any(resolved.is_relative_to(root) for root in self.roots):
            return None
        shown = _relative_to_working_folder(resolved)
        return f"{shown} is outside the allowed folders; allow it with --allow-path {shown.parent}"


def _relative_to_working_folder(path: Path) -> Path:
    """The path as the user would type it: relative when it is under the working folder."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@contextlib.contextmanager
def fewer_collections():
    """Python's cycle collector scans every live object each time their number grows by a quarter;
    compiling 50,000 items makes a million objects that all stay alive (the syntax tree, the items,
    their values), and those scans cost as much as the rest. While compiling, young objects are
    looked at every 100,000 allocations instead of every 700: garbage is still collected, a little later."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 100_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def compile_source(source: SourceFile, links: Optional[Links] = None) -> Result:
    """Compile, turning any fault of the compiler itself into a diagnostic rather than a traceback."""
    try:
        with fewer_collections():
            return _compile_source(source, links or Links.default(source.path))
    except RecursionError:  # the limits (limits.py, syntax_rules.py) should stop every case before this
        return Result(source, (error("RD007", "the report is nested too deeply to compile", whole_file(source.path),
                                     "split very long expressions or deeply nested blocks"),))
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        return Result(source, (error(INTERNAL, f"internal compiler error ({type(exc).__name__}: {exc})",
                                     whole_file(source.path), "this is a bug in reportdsl; please report it with the file"),))


def _compile_source(source: SourceFile, links: Links) -> Result:
    try:
        report = (links.parse_report or parse)(source)
    except CompileError as exc:
        return Result(source, tuple(sort_unique(exc.diagnostics)))
    comment_problems = swallowed_attributes(report, source) + review_marks(report, source)
    report, layout_source, layout_problems = link_layout(report, source.path, links)
    if any(d.is_error for d in layout_problems) and layout_source is None:
        return Result(source, tuple(sort_unique(layout_problems)), report, layout=layout_source)
    prior, link_problems = link_prior(report.header, source.path, links)
    link_problems = comment_problems + layout_problems + link_problems
    names_found, values_found, document_found, checks_found = [], [], [], []  # each stage's own sink
    names = NameTable(report, names_found, links.kept_trees)
    evaluator = Evaluator(names, prior.evaluator if prior is not None else None, sink=values_found)
    try:
        evaluator.evaluate_all()
        if links.values_only:
            diagnostics = [*link_problems, *names_found, *values_found]
            return Result(source, tuple(sort_unique(diagnostics)), report, evaluator, None, prior, layout_source, names)
        document = (links.build_document or build_document)(report, Evaluated(evaluator, document_found))
    except LimitExceeded as exc:  # the report asks for more than any report may: stop here, with where
        diagnostics = [*link_problems, *names_found, *values_found, *document_found, exc.diagnostic]
        return Result(source, tuple(sort_unique(diagnostics)), report, evaluator, None, prior, layout_source, names)
    checks_found += run_checks(Evaluated(evaluator, checks_found), document, links.judge_check)
    diagnostics = [*link_problems, *names_found, *values_found, *document_found, *checks_found]
    if isinstance(report.header, ast.LayoutHeader):  # a layout alone: its inputs are open by design, only its own faults count
        from .layouts import duplicate_names

        diagnostics = [d for d in diagnostics if d.category <= Category.NAMES] + duplicate_names(report)
    diagnostics = causes_first(sort_unique(diagnostics), source.path, Provenance(names, document.figures, source.path))
    return Result(source, tuple(diagnostics), report, evaluator, document, prior, layout_source, names)


def link_layout(report: ast.Report, path: str, links: Links) -> tuple[ast.Report, Optional[SourceFile], list[Diagnostic]]:
    """Merge the layout the header names into the report (layouts.py says how)."""
    from .layouts import apply_layout, layout_path, packaged_layouts

    header = report.header
    if header.layout is None:  # a layout file names none
        return report, None, []
    where = header.layout_span
    target = layout_path(header.layout, path)
    if target is None:
        names = ", ".join(sorted(packaged_layouts())) or "none"
        return report, None, [error("RD006", f"no layout named '{header.layout}'", where,
                                    f"layouts in the package: {names}; or name a file: layout \"mine.rpt\"")]
    refused = links.allows(target) if header.layout.endswith(".rpt") else None
    if refused:
        return report, None, [error("RD006", f"the layout '{header.layout}' may not be read", where, refused)]
    try:
        source, layout = (links.parse_layout or read_and_parse)(target)
    except CompileError as exc:
        return report, None, [error("RD006", f"the layout '{header.layout}' cannot be read or parsed", where,
                                    *(render_short(d) for d in exc.diagnostics))]
    if not isinstance(layout.header, ast.LayoutHeader):
        return report, None, [error("RD006", f"'{header.layout}' is a report, not a layout", where,
                                    "a layout file starts with: layout \"name\" \"title\"")]
    merged, problems = (links.apply_layout or apply_layout)(report, layout)
    return merged, source, problems


def read_and_parse(path: str) -> tuple[SourceFile, ast.Report]:
    source = read_source(path)
    return source, parse(source)


def render_short(diagnostic: Diagnostic) -> str:
    span = diagnostic.span
    where = f"{span.path}:{span.line}:{span.column}: " if span is not None and span.line else ""
    return f"{where}{diagnostic.message}"


def link_prior(header: ast.Header, path: str, links: Links) -> tuple[Optional[Result], list[Diagnostic]]:
    """Compile the prior year's report the header names, relative to this report's folder."""
    if header.prior is None:
        return None, []
    clause = header.prior.span
    target = str(Path(path).parent / header.prior.name)
    here = str(Path(path).resolve())
    refused = links.allows(target)
    if refused:
        return None, [error("RD005", f"the prior-year report '{header.prior.name}' may not be read", clause, refused)]
    if str(Path(target).resolve()) in links.chain + (here,):
        cycle = " -> ".join(Path(p).name for p in links.chain + (here, str(Path(target).resolve())))
        return None, [error("RD005", "the prior-year reports name each other in a cycle", clause, f"the cycle is {cycle}")]
    if not Path(target).exists() and not Path(target).is_symlink():
        return None, [error("RD005", f"the prior-year report '{header.prior.name}' is not found", clause,
                            f"cannot read {target}: there is no such file (the path is relative to this report's folder)",
                            "name last year's report, or remove `prior …` and type the 上年 figures")]
    prior = (links.compile_prior or compile_prior)(target, attrs.evolve(links, chain=links.chain + (here,)))
    problems = [d for d in prior.diagnostics if d.is_error]
    if problems:
        first = problems[0]
        where = f"{first.span.path}:{first.span.line}: " if first.span is not None else ""
        return None, [error("RD005", f"the prior-year report '{header.prior.name}' cannot be used: "
                            f"it has {len(problems)} error(s)", clause, f"first: {where}{first.message}",
                            f"run: reportdsl check {target}")]
    expected = header.year - 1 if header.year is not None else None
    if expected is not None and prior.report.header.year != expected:
        return None, [error("RD005", f"the prior-year report is for {prior.report.header.year}, not {expected}", clause,
                            "name last year's report")]
    return prior, []


def compile_prior(path: str, links: Links) -> Result:
    """A prior-year report: only evaluated when it compiled before without errors and nothing it reads
    changed (check_cache.py); else compiled in full, and remembered when it has no errors."""
    from . import check_cache

    if check_cache.prior_known_clean(path, links.roots):
        return compile_file(path, attrs.evolve(links, values_only=True))
    result = compile_file(path, links)
    check_cache.remember_prior(path, links.roots, result)
    return result


def compile_text(text: str, path: str = "<input>") -> Result:
    return compile_source(SourceFile(path, normalize_newlines(text.removeprefix("\ufeff"))))


def compile_file(path: str, links: Optional[Links] = None, as_path: Optional[str] = None) -> Result:
    """Compile the file at `path`; with `as_path`, its text as if it stood there: a copy of an old
    version (git's temporary file) then finds its layout and prior-year report beside the real one."""
    named = as_path or path
    try:
        source = SourceFile(named, read_source(path).text)
    except CompileError as exc:
        return Result(SourceFile(named, ""), tuple(exc.diagnostics))
    return compile_source(source, links)
