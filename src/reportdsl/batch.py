"""Compiling many reports: one job per report, run in this process or in worker processes that
keep their imports warm; each job compiles, renders and writes its own outputs (atomically) and
returns what to print, so the caller only reports."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import attrs

from .text_enum import TextEnum


@attrs.frozen
class Options:
    target: str
    output_dir: str
    template: Optional[bytes]
    charts: bool
    allow_path: tuple[str, ...]


class Status(TextEnum):
    OK = "ok"
    WARNINGS = "warnings"
    ERRORS = "errors"  # nothing written


@attrs.frozen
class Outcome:
    path: str
    status: Status
    line: str  # the one line said about this report
    details: str  # the diagnostics and warnings, as text
    written: tuple[str, ...] = ()  # the output files, charts included
    diagnostics: tuple[dict, ...] = ()  # as in `check --format json`
    warnings: tuple[str, ...] = ()  # said while rendering (a missing font)

    def as_json_line(self) -> str:
        """One line of `compile --format jsonl`: this report's result as a JSON object."""
        import json

        return json.dumps({"path": self.path, "status": self.status.value, "written": list(self.written),
                           "diagnostics": list(self.diagnostics), "warnings": list(self.warnings),
                           "message": self.line}, ensure_ascii=False, sort_keys=True)


def report_files(arguments: Iterable[str]) -> list[str]:
    """The reports named, with every .rpt under a named folder (layout files left out), in order."""
    found: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found += sorted(str(p) for p in path.rglob("*.rpt") if not is_layout_file(p))
        else:
            found.append(argument)
    return found


def is_layout_file(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig") as stream:
            for line in stream:
                if line.strip() and not line.lstrip().startswith("#"):
                    return line.lstrip().startswith("layout ")
    except (OSError, UnicodeDecodeError):
        return False
    return False


def compile_one(path: str, options: Options) -> Outcome:
    from .outputs import BuildError, build_outputs
    from .compiler import Links, compile_file
    from .diagnostics import render_text, severity_counts, to_json_obj
    from .atomic_write import write_all_atomic
    from .render.docx import TemplateError

    result = compile_file(path, Links.default(path, options.allow_path))
    details = [render_text(d, result.sources) + "\n" for d in result.diagnostics]
    found = tuple(to_json_obj(d) for d in result.diagnostics)
    errors, warnings = severity_counts(list(result.diagnostics))
    if errors:
        return Outcome(path, Status.ERRORS, f"{path}: {errors} error(s), {warnings} warning(s); nothing written",
                       "\n".join(details), diagnostics=found)
    try:
        outputs = build_outputs(result.document, Path(path).stem, Path(options.output_dir), options.target,
                                options.template, charts=options.charts, source_path=path,
                                diagnostics=result.diagnostics)
        write_all_atomic(outputs.files)
    except (BuildError, TemplateError) as exc:
        return Outcome(path, Status.ERRORS, f"{path}: error: {exc}; nothing written", "\n".join(details),
                       diagnostics=found)
    except Exception as exc:  # noqa: BLE001 - never a traceback; nothing is written either
        return Outcome(path, Status.ERRORS, f"{path}: internal error while rendering ({type(exc).__name__}: {exc}); "
                       "nothing written; this is a bug in reportdsl, please report it", "\n".join(details),
                       diagnostics=found)
    details += [f"{path}: warning: {message}" for message in outputs.warnings]
    written = ", ".join(str(p) for p in outputs.files if p.suffix not in (".png", ".svg"))
    status = Status.WARNINGS if warnings or outputs.warnings else Status.OK
    return Outcome(path, status, f"{path}: wrote {written}", "\n".join(details), tuple(map(str, outputs.files)), found,
                   tuple(outputs.warnings))


def _warm_up() -> None:
    """A worker imports the compiler and loads the grammar once, before its first report."""
    from .lark_parser import _lark

    from . import compiler, outputs  # noqa: F401

    _lark()


def compile_all(paths: list[str], options: Options, jobs: int) -> Iterator[Outcome]:
    """Outcomes as the reports finish: in order with one job, as they come with several."""
    yield from run_jobs(compile_one, paths, options, jobs, _warm_up)


def run_jobs(job: Callable, paths: list[str], options, jobs: int, warm_up: Callable) -> Iterator:
    """job(path, options) for each path: in this process with one job, else in worker processes
    (each warmed up once), results in the order of the paths."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield job(path, options)
        return
    # Files go to the workers in small chunks: one round trip per chunk, not per file.
    chunk = max(1, min(8, len(paths) // (jobs * 4)))
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=warm_up) as pool:
        yield from pool.map(job, paths, [options] * len(paths), chunksize=chunk)


def summary(statuses: list[Status]) -> str:
    counts = {status: statuses.count(status) for status in Status}
    return (f"{len(statuses)} report(s): {counts[Status.OK]} ok, {counts[Status.WARNINGS]} with warnings, "
            f"{counts[Status.ERRORS]} with errors")


def run(paths: list[str], options: Options, jobs: int, say: Callable[[str, bool], None],
        progress: Optional[Callable] = None, json_lines: bool = False) -> list[Status]:
    """Compile and say each result as it comes (text, or one JSON line per report); only each
    report's status is kept, so a batch of thousands holds no more than one report at a time."""
    statuses = []
    for outcome in compile_all(paths, options, jobs):
        if json_lines:
            say(outcome.as_json_line(), False)
        else:
            if outcome.details:
                say(outcome.details, True)
            say(outcome.line, outcome.status is Status.ERRORS)
        if progress is not None:
            progress(1)
        statuses.append(outcome.status)
    return statuses
