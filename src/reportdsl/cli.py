"""The command line: a thin click layer over the compiler."""

from __future__ import annotations

import atexit
import gc
import sys

import click

from . import __version__
from .diagnostics import json_text, render_text, severity_counts, to_json_obj


SCHEDULER = click.option(
    "--scheduler", metavar="ADDRESS",
    help="Run the batch on Dask distributed: 'local' (a cluster of -j workers on this machine) or a running "
         "scheduler's address, tcp://HOST:8786 (extra [dask]; docs/scale.md).")
ALLOW_PATH = click.option(
    "--allow-path", multiple=True, type=click.Path(file_okay=False),
    help="A folder from which layouts and prior-year reports may also be read (beside the report's own "
         "folder).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportdsl")
def main() -> None:
    """reportdsl: compile and check departments' final-accounts reports (.rpt)."""
    import signal

    # SIGTERM (what `kill` sends) unwinds like Ctrl-C, so a write in progress removes its temporary files.
    signal.signal(signal.SIGTERM, lambda number, _frame: sys.exit(128 + number))
    short_lived_collections()


def short_lived_collections() -> None:
    """A command is a short process that keeps most of what it builds (50,000 items make a million
    objects) until it ends. Python's cycle collector would walk them again and again: young objects
    every 700 allocations, all of them once more at shutdown. Here it looks at young objects every
    100,000 allocations (compiler.fewer_collections does the same for a compile in any process), and at
    exit leaves what is left to the system whole. Together that was a third of a large check's time."""
    gc.set_threshold(max(gc.get_threshold()[0], 100_000), *gc.get_threshold()[1:])
    atexit.unregister(gc.freeze)  # once, however many commands a process runs (tests run many)
    atexit.register(gc.freeze)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="Diagnostics as compiler text (default) or JSON for editors and CI.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@ALLOW_PATH
def check(files: tuple[str, ...], output_format: str, strict: bool, allow_path: tuple[str, ...]) -> None:
    """Check reports and print every diagnostic. Exit 0 clean, 1 on errors (or warnings with --strict)."""
    from . import check_cache

    all_objects = []
    failed = False
    for path in files:
        checked = check_cache.load(path, allow_path) or _check_one(path, allow_path)
        all_objects.extend(checked["json"])
        failed = failed or checked["errors"] > 0 or (strict and checked["warnings"] > 0)
        if output_format == "text":
            for text in checked["text"]:
                click.echo(text, err=False)
                click.echo("")
            if checked.get("to_fill"):
                click.echo(checked["to_fill"])
            click.echo(_summary(path, checked["errors"], checked["warnings"]), err=True)
    if output_format == "json":
        click.echo(json_text(all_objects))
    sys.exit(1 if failed else 0)


def _check_one(path: str, allow_path: tuple[str, ...]) -> dict:
    """Compile `path`: what check prints of it, as check_cache keeps it (and kept there)."""
    from . import check_cache
    from .compiler import Links, compile_file
    from .to_fill import render as render_to_fill, to_fill

    result = compile_file(path, Links.default(path, allow_path))
    left = to_fill(result)
    errors, warnings = severity_counts(list(result.diagnostics))
    checked = {"text": [render_text(diagnostic, result.sources) for diagnostic in result.diagnostics],
               "json": [to_json_obj(diagnostic) for diagnostic in result.diagnostics],
               "to_fill": render_to_fill(result, left) + "\n" if left else "", "errors": errors, "warnings": warnings}
    check_cache.store(path, allow_path, result, checked)
    return checked


def _summary(path: str, errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return f"{path}: ok"
    return f"{path}: {errors} error(s), {warnings} warning(s)"


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--to", "target", type=click.Choice(["md", "docx", "pdf", "json", "html", "xlsx", "all"]),
              default="docx", show_default=True,
              help="Output format (xlsx: the tables only); all = md, docx, pdf, json and html.")
@click.option("-o", "--output-dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Directory for the outputs.")
@click.option("--template", type=click.Path(exists=True, dir_okay=False),
              help="A Word template of your own (styles and tags: docs/templates.md).")
@click.option("--no-charts", is_flag=True, help="Leave the charts out.")
@ALLOW_PATH
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Reports compiled at once, in worker processes.")
@click.option("--format", "output_format", type=click.Choice(["text", "jsonl"]), default="text",
              help="Results as text (default) or JSON lines on standard output, one object per report.")
@SCHEDULER
def compile(files: tuple[str, ...], target: str, output_dir: str, template: str | None, no_charts: bool,
            allow_path: tuple[str, ...], jobs: int, output_format: str, scheduler: str | None) -> None:
    """Compile reports (files, or folders of .rpt files) to Word, Markdown, PDF, JSON or HTML.

    A report with errors is not rendered; the others are, and the exit status is 1 if any had errors.
    """
    from pathlib import Path

    from .batch import Options, Status, report_files, run, summary
    from .dask_batch import SchedulerError

    paths = report_files(files)
    many = len(paths) > 1
    # A batch keeps no compiled documents: they serve one report compiled again and again.
    options = Options(target, output_dir, read_template(template) if template else None, not no_charts, allow_path,
                      keep_compiled=not many)
    say = ((lambda text, err: click.echo(text, err=err)) if output_format == "text"
           else (lambda line, err: click.echo(line)))
    try:
        if many and sys.stderr.isatty():
            with click.progressbar(length=len(paths), label="compiling", file=sys.stderr) as bar:
                statuses = run(paths, options, jobs, say, bar.update, output_format == "jsonl", scheduler)
        else:
            statuses = run(paths, options, jobs, say, None, output_format == "jsonl", scheduler)
    except SchedulerError as exc:
        raise click.ClickException(str(exc)) from None
    if many:
        click.echo(summary(statuses), err=True)
    sys.exit(1 if Status.ERRORS in statuses else 0)


def read_template(path: str) -> bytes:
    """The --template file: a regular file of at most the template limit, or exit 1 saying why."""
    from .regular_files import read_regular_file
    from .render.template_guard import MAX_TEMPLATE_BYTES

    try:
        return read_regular_file(path, MAX_TEMPLATE_BYTES)
    except OSError as exc:
        click.echo(f"{path}: error: the Word template cannot be read: {exc.strerror or exc}; nothing written", err=True)
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; print a unified diff and exit 1 if a file is not formatted.")
def fmt(files: tuple[str, ...], check_only: bool) -> None:
    """Rewrite reports in the canonical layout (`-` reads standard input and writes standard output)."""
    from .fmt_command import format_files

    sys.exit(format_files(files, check_only, click.echo))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("figure", required=False)
@click.option("--text", help="Explain the figures of the sentence that contains this text.")
@click.option("--section", help="Explain the sentences under the heading with this title …")
@click.option("--position", type=int, help="… or only the N-th of them (from 1).")
@click.option("--depth", type=click.IntRange(0, 50), default=1, show_default=True,
              help="How many levels of inputs to show under each answer.")
@click.option("--full", is_flag=True, help="The whole chain, down to the typed facts, with each source line.")
def explain(file: str, figure: str | None, text: str | None, section: str | None, position: int | None,
            depth: int, full: bool) -> None:
    """How a figure is obtained: a one-line answer, then its inputs (--depth), or the whole chain (--full).

    FIGURE is a name or an expression: 收支变动率, 收支总计@上年, gpb[206].决算.
    """
    from .compiler import compile_file
    from .diagnostics import CompileError
    from .explain import Tracer, find_paragraphs
    from .expr_printer import render_expr
    from .explain_answer import Explainer, sentence_figures
    from .parser import parse_expression

    if (figure is None) == (text is None and section is None):
        raise click.UsageError("name a FIGURE, or give --text or --section (not both)")
    result = compile_file(file)
    if result.document is None:
        for diagnostic in result.diagnostics:
            click.echo(render_text(diagnostic, result.sources), err=True)
        sys.exit(1)
    explainer = Tracer(result) if full else Explainer(result, depth)
    if figure is not None:
        try:
            expr = parse_expression(result.source, figure, len(result.source.text))
        except CompileError:
            raise click.UsageError(f"'{figure}' is not a name or an expression of the language") from None
        known = len(result.evaluator.diagnostics)
        lines = list(explainer.figure(expr, {}))
        value = result.evaluator.eval(expr, {})
        causes = figure_faults(result, value)  # the report's own faults that leave it with no value
        said = {(d.code, d.message, d.span) for d in causes}
        for diagnostic in causes:
            click.echo(render_text(diagnostic, result.sources), err=True)
        for diagnostic in result.evaluator.diagnostics[known:]:  # the figure asked for, on the command line
            if (diagnostic.code, diagnostic.message, diagnostic.span) not in said:
                said.add((diagnostic.code, diagnostic.message, diagnostic.span))
                click.echo(f"error[{diagnostic.code}]: {diagnostic.message}" +
                           "".join(f"\n  = help: {h}" for h in diagnostic.help), err=True)
        if said:
            click.echo("\n".join(lines).rstrip("\n"))
            sys.exit(1)
    else:
        paragraphs = find_paragraphs(result, text, section, position)
        if not paragraphs:
            click.echo("no sentence matches", err=True)
            sys.exit(1)
        lines = []
        for paragraph in paragraphs:
            if full:
                lines += [*explainer.paragraph(paragraph), ""]
                continue
            sentence, uses = sentence_figures(result, paragraph, text)
            lines.append(f"“{sentence}”")
            for use in uses:
                lines += [f"{use.shown}  ← {{{render_expr(use.expr)}}}", *explainer.figure(use.expr, use.scope, "  "), ""]
        causes = unique(d for p in paragraphs for use in result.document.figures[slice(*p.figures)]
                        for d in figure_faults(result, use.value))
        if causes:
            click.echo("\n".join(render_text(d, result.sources) for d in causes), err=True)
            click.echo("\n".join(lines).rstrip("\n"))
            sys.exit(1)
    click.echo("\n".join(lines).rstrip("\n"))


def unique(items) -> list:
    return list(dict.fromkeys(items))


def figure_faults(result, value) -> list:
    """The report's errors that left a figure with no value (a figure too large, say): `explain` says
    them and fails, as `check` does."""
    from .values import Gap, Missing

    if not isinstance(value, Missing) or value.kind is not Gap.FAILED:
        return []
    return [d for d in result.diagnostics if d.is_error and d.message == value.reason and d.span == value.span]


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--stat", is_flag=True, help="The summary alone: what changed, counted by kind and by part.")
def diff(files: tuple[str, ...], stat: bool) -> None:
    """What changed in meaning between two reports: OLD NEW.

    Typed inputs by part of the report (an item's measures on one line), reasons and notes, checks,
    then the published document section by section: sentences with their numbers [old → new], table
    rows paired by code with each cell old → new (change, rate). Exit 0 when they mean the same, 1
    when they differ. Also works as a git diff driver, which passes seven arguments (docs/git.md); it
    then always exits 0, as git expects of a driver.
    """
    from .compiler import compile_file
    from .review_diff import render, review_diff

    as_git_driver = len(files) == 7
    if len(files) not in (2, 7):
        raise click.UsageError("give two reports, OLD and NEW")
    if as_git_driver:  # git's copies of the two versions, compiled as the file git names (its imports are beside it)
        shown_old = shown_new = files[0]
        old, new = compile_file(files[1], as_path=files[0]), compile_file(files[4], as_path=files[0])
    else:
        shown_old, shown_new = files
        old, new = compile_file(shown_old), compile_file(shown_new)
    for side, result in (("old", old), ("new", new)):
        if result.document is None:
            click.echo(f"{side} side does not compile; its figures are compared as empty:", err=True)
            for diagnostic in result.diagnostics:
                click.echo(render_text(diagnostic, result.sources), err=True)
    difference = review_diff(old, new)
    if as_git_driver:
        click.echo(f"reportdsl diff a/{shown_old} b/{shown_new}")
    click.echo("\n".join(render(difference, shown_old, shown_new, stat)).rstrip("\n"))
    sys.exit(0 if as_git_driver or difference.equal else 1)


@main.command()
@click.option("--layout", "layout", required=True, help="A layout in the package (hubei, shanghai-2024) or a .rpt file.")
@click.option("--department", required=True, help="The department's name, as published.")
@click.option("--year", required=True, type=int, help="The year of the accounts.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: standard output).")
def new(layout: str, department: str, year: int, output: str | None) -> None:
    """Start a report on a layout: every input it needs, as placeholders with what each is."""
    from pathlib import Path

    from .diagnostics import CompileError
    from .atomic_write import write_all_atomic
    from .scaffold import new_report

    if output and Path(output).exists():
        raise click.UsageError(f"{output} exists; new never overwrites a report")
    try:
        text = new_report(layout, department, year, output or "new.rpt")
    except CompileError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(render_text(diagnostic, {}), err=True)
        sys.exit(1)
    if output:
        write_all_atomic({Path(output): text.encode("utf-8")})
        click.echo(f"wrote {output}; fill in each ?, then: reportdsl check {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--body-font", help="East Asian font of the body text and tables, e.g. 仿宋_GB2312.")
@click.option("--heading-font", help="East Asian font of the part and section headings and table titles, e.g. 黑体.")
@click.option("--title-font", help="East Asian font of the title on the cover, e.g. 方正小标宋简体.")
@click.option("--title-color", help="Colour of the title: red, black, blue or six hex digits (C00000).")
@click.option("--body-size", type=float, help="Size of the body text in points (三号 = 16).")
@click.option("--layout", "layout", help="Start from a packaged layout's own template (shanghai-2024), not the default.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The template to write (.docx).")
def template(body_font, heading_font, title_font, title_color, body_size, layout, output: str) -> None:
    """Write a Word template in a house style, for compile --template."""
    from pathlib import Path

    from .atomic_write import write_all_atomic
    from .layouts import packaged_layouts
    from .render.docx import default_template
    from .render.house_style import HouseStyle, HouseStyleError, make_template

    if layout is not None and layout not in packaged_layouts():
        raise click.UsageError(f"no layout named '{layout}'; layouts in the package: "
                               f"{', '.join(sorted(packaged_layouts()))}")
    style = HouseStyle(body_font, heading_font, title_font, title_color, body_size)
    try:
        data = make_template(style, default_template(layout or ""))
    except HouseStyleError as exc:
        raise click.UsageError(str(exc)) from None
    write_all_atomic({Path(output): data})
    click.echo(f"wrote {output}; use it with: reportdsl compile FILE --to docx --template {output}", err=True)


@main.command(name="next-year")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write here (default: the file's name with the next year, beside it, e.g. x_2024.rpt).")
def next_year(file: str, output: str | None) -> None:
    """Next year's report from this year's: year + 1, prior = FILE, this year's figures and reasons
    emptied as ? (last year's value in a comment), year-specific prose and checks marked for review."""
    from pathlib import Path

    from .atomic_write import write_all_atomic
    from .compiler import read_source
    from .diagnostics import CompileError
    from .next_year import default_target, next_year_text
    from .parser import parse

    try:
        target = output or default_target(file, parse(read_source(file)).header.year)
        if target is None:
            raise click.UsageError("the file's name does not hold its year: name the new report with -o")
        if Path(target).exists():
            raise click.UsageError(f"{target} exists; next-year never overwrites a report")
        text = next_year_text(file, target)
    except CompileError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(render_text(diagnostic, {}), err=True)
        sys.exit(1)
    write_all_atomic({Path(target): text.encode("utf-8")})
    click.echo(f"wrote {target}; fill in each ?, review each `# review:` line, then: reportdsl check {target}", err=True)


@main.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--layout", "layout", required=True, help="A layout in the package (hubei, shanghai-2024) or a .rpt file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="The report to write (default: the file's name with .rpt, in the working folder).")
@click.option("--department", help="The department's name, when the file does not print it (an Excel export).")
@click.option("--year", type=int, help="The year of the accounts, when the file does not print it.")
def import_(file: str, layout: str, output: str | None, department: str | None, year: int | None) -> None:
    """A published disclosure (.docx, .pdf, .xlsx; .txt or .md for the narrative) as a report on a layout.

    Prints what was read; never overwrites a file; exit 1 with nothing written when the file cannot be imported.
    """
    from pathlib import Path

    from .importing import import_document
    from .atomic_write import write_all_atomic

    target = Path(output) if output else Path(Path(file).stem + ".rpt")
    if target.exists():
        raise click.UsageError(f"{target} exists; import never overwrites a file (choose another with -o)")
    result = import_document(file, layout, department=department, year=year)
    for diagnostic in result.diagnostics:
        click.echo(render_text(diagnostic, {}), err=True)
    if not result.ok:
        click.echo(f"{file}: not imported; nothing written", err=True)
        sys.exit(1)
    write_all_atomic({target: result.text.encode("utf-8")})
    for line in result.summary.lines():
        click.echo(f"{file}: {line}", err=True)
    click.echo(f"wrote {target}; then: reportdsl check {target}", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--layout", "layout", required=True, help="The layout the documents follow (hubei, shanghai-2024) or a .rpt file.")
@click.option("--keep", type=click.Path(file_okay=False),
              help="A folder for each document's imported .rpt (a `# judged:` comment there silences a finding).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="Findings as text (default) or JSON (schema: docs/audit.schema.json).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False),
              help="Also write a page showing each document with its findings highlighted in place.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Also write every finding as a CSV row.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Documents audited at once, in worker processes.")
@SCHEDULER
def audit(files: tuple[str, ...], layout: str, keep: str | None, output_format: str, html_out: str | None,
          csv_out: str | None, jobs: int, scheduler: str | None) -> None:
    """Check published disclosures (.pdf, .docx, .xlsx; .txt or .md for the text alone; or folders of
    them) and point at each problem in the document itself. Exit 0 when no document has an error, 1
    otherwise."""
    from pathlib import Path

    from .atomic_write import write_all_atomic
    from .audit.batch import AuditOptions, audit_all, batch_summary, document_files
    from .audit.report import audit_text, audits_csv, audits_json, summary_line
    from .dask_batch import SchedulerError

    paths = document_files(files)
    if not paths:
        raise click.UsageError("no .pdf, .docx, .xlsx, .txt or .md file was named or found")
    many = len(paths) > 1

    def say(one) -> None:
        if output_format == "text":
            click.echo(audit_text(one) if not many else summary_line(one))
            if not many:
                click.echo("")

    options = AuditOptions(layout, keep)
    try:
        if many and sys.stderr.isatty():
            with click.progressbar(length=len(paths), label="auditing", file=sys.stderr) as bar:
                audits = audit_all(paths, options, jobs, lambda one: (say(one), bar.update(1)), scheduler)
        else:
            audits = audit_all(paths, options, jobs, say, scheduler)
    except SchedulerError as exc:
        raise click.ClickException(str(exc)) from None
    if output_format == "json":
        click.echo(audits_json(audits))
    written = {}
    if html_out:
        from .audit.html_page import audits_html

        written[Path(html_out)] = audits_html(audits).encode("utf-8")
    if csv_out:
        written[Path(csv_out)] = audits_csv(audits).encode("utf-8-sig")
    write_all_atomic(written)
    if many:
        click.echo(batch_summary(audits), err=True)
    for path in written:
        click.echo(f"wrote {path}", err=True)
    sys.exit(1 if any(a.failed or a.errors for a in audits) else 0)


@main.command()
@click.option("--stdio", is_flag=True, help="Speak over standard input and output (the default and only way).")
def lsp(stdio: bool) -> None:
    """The language server for editors (LSP over stdio): diagnostics as you type, hover, go to
    definition, references, completion, outline, folding, formatting and quick fixes."""
    try:
        from .editor.lsp import serve
    except ImportError as exc:
        raise click.ClickException(f"the language server needs pygls ({exc}); install it with: "
                                   "pip install 'reportdsl[lsp]'") from None
    serve()


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535),
              help="The port on 127.0.0.1; 0 takes a free one.")
def preview(file: str, port: int) -> None:
    """The compiled document as a page on 127.0.0.1 (only), redrawn within a second of each save of the
    report, its layout or its prior-year report; problems in a panel; a click on a figure explains it."""
    from .editor.preview import serve

    try:
        serve(file, port, lambda text: click.echo(text, err=True))
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        pass
