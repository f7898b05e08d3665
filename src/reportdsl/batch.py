"""Compiling many reports: one job per report, run in this process or in worker processes that
keep their imports warm; each job compiles, renders and writes its own outputs (atomically) and
returns what to print, so the caller only reports."""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import attrs

from .text_enum import TextEnum


PR_SET_PDEATHSIG = 1  # linux/prctl.h


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
    """A layout starts with `layout`; anything unreadable is left to the compile to report."""
    from .regular_files import read_regular_file

    try:
        text = read_regular_file(str(path)).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.lstrip().startswith("layout ")
    return False


def output_clashes(paths: list[str]) -> dict[str, str]:
    """Reports whose outputs would have the same names (a/report.rpt and b/report.rpt both make
    report.md): each such report -> the other one it clashes with. Both are refused, so neither
    silently overwrites the other."""
    first: dict[str, str] = {}
    clashes: dict[str, str] = {}
    for path in paths:
        stem = Path(path).stem
        if stem in first and first[stem] != path:
            clashes.setdefault(first[stem], path)
            clashes[path] = first[stem]
        first.setdefault(stem, path)
    return clashes


def unique(paths: list[str]) -> list[str]:
    """The same report named twice (x.rpt ./x.rpt) is compiled once."""
    seen: set[str] = set()
    kept = []
    for path in paths:
        key = str(Path(path).resolve())
        if key not in seen:
            seen.add(key)
            kept.append(path)
    return kept


def clash_outcome(path: str, other: str) -> Outcome:
    return Outcome(path, Status.ERRORS, f"{path}: error: its outputs would have the same names as those of {other} "
                   f"({Path(path).stem}.*); nothing written for either: rename one, or compile them into "
                   "different folders with -o", "")


def compile_one(path: str, options: Options) -> Outcome:
    from .outputs import BuildError, build_outputs
    from .compiler import Links, compile_file
    from .diagnostics import render_text, severity_counts
    from .atomic_write import write_all_atomic
    from .render.docx import TemplateError

    result = compile_file(path, Links.default(path, options.allow_path))
    details = [render_text(d, result.sources) + "\n" for d in result.diagnostics]
    errors, warnings = severity_counts(list(result.diagnostics))
    if errors:
        return Outcome(path, Status.ERRORS, f"{path}: {errors} error(s), {warnings} warning(s); nothing written",
                       "\n".join(details))
    try:
        outputs = build_outputs(result.document, Path(path).stem, Path(options.output_dir), options.target,
                                options.template, charts=options.charts, source_path=path,
                                diagnostics=result.diagnostics)
        write_all_atomic(outputs.files)
    except (BuildError, TemplateError) as exc:
        return Outcome(path, Status.ERRORS, f"{path}: error: {exc}; nothing written", "\n".join(details))
    except OSError as exc:  # the user's folder: read-only, full, a file where a folder should be, …
        return Outcome(path, Status.ERRORS, f"{path}: error: {cannot_write(exc)}; nothing written", "\n".join(details))
    except Exception as exc:  # noqa: BLE001 - never a traceback; nothing is written either
        return Outcome(path, Status.ERRORS, f"{path}: internal error while rendering ({type(exc).__name__}: {exc}); "
                       "nothing written; this is a bug in reportdsl, please report it", "\n".join(details))
    details += [f"{path}: warning: {message}" for message in outputs.warnings]
    written = ", ".join(str(p) for p in outputs.files if p.suffix != ".png")
    status = Status.WARNINGS if warnings or outputs.warnings else Status.OK
    return Outcome(path, status, f"{path}: wrote {written}", "\n".join(details))


def cannot_write(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    reason = exc.strerror or str(exc)
    return f"cannot write{where}: {reason}"


def _warm_up() -> None:
    """A worker imports the compiler and loads the grammar once, before its first report."""
    from .lark_parser import _lark

    from . import compiler, outputs  # noqa: F401

    _lark()


def die_with(parent: int) -> None:
    """A worker ends when the compile that started it ends, even one killed outright (SIGKILL, which
    gives the pool no chance to stop it): on Linux the kernel kills it with its parent (prctl
    PR_SET_PDEATHSIG); everywhere, a thread checks every second that its parent is still there."""
    import signal
    import threading

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the thread below does it
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="reportdsl-parent-watch").start()


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


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
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=start_worker,
                                                initargs=(os.getpid(), warm_up)) as pool:
        yield from pool.map(job, paths, [options] * len(paths), chunksize=chunk)


def start_worker(parent: int, warm_up: Callable) -> None:
    die_with(parent)
    warm_up()


def summary(outcomes: list[Outcome]) -> str:
    counts = {status: sum(1 for o in outcomes if o.status is status) for status in Status}
    return (f"{len(outcomes)} report(s): {counts[Status.OK]} ok, {counts[Status.WARNINGS]} with warnings, "
            f"{counts[Status.ERRORS]} with errors")


def run(paths: list[str], options: Options, jobs: int, say: Callable[[str, bool], None],
        progress: Optional[Callable] = None) -> list[Outcome]:
    paths = unique(paths)
    clashes = output_clashes(paths)
    refused = [clash_outcome(path, clashes[path]) for path in paths if path in clashes]
    outcomes = []
    for outcome in [*refused, *compile_all([p for p in paths if p not in clashes], options, jobs)]:
        if outcome.details:
            say(outcome.details, True)
        say(outcome.line, outcome.status is Status.ERRORS)
        if progress is not None:
            progress(1)
        outcomes.append(outcome)
    return outcomes
