"""Compiling many reports: one job per report, run in this process or in worker processes that
keep their imports warm; each job compiles, renders and writes its own outputs (atomically) and
returns what to print, so the caller only reports."""

from __future__ import annotations

import gc
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
    keep_compiled: bool = True  # keep the compiled document (check_cache.py): one report compiled again and again


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
    """Compiles one report of a batch and writes its outputs. A command collects young objects only every
    100,000 allocations (cli.short_lived_collections); the young cycles one report leaves are
    collected as soon as it is done, so that a batch of any length stays at the memory of one report."""
    try:
        return _compile_and_write(path, options)
    finally:
        gc.collect(1)


def _compile_and_write(path: str, options: Options) -> Outcome:
    from .outputs import BuildError, build_outputs
    from .atomic_write import write_all_atomic
    from .render.template_guard import TemplateError

    document, diagnostics, kept = compiled(path, options.allow_path, options.keep_compiled)
    details, found = list(kept["details"]), tuple(kept["json"])
    errors, warnings = kept["errors"], kept["warnings"]
    if errors:
        return Outcome(path, Status.ERRORS, f"{path}: {errors} error(s), {warnings} warning(s); nothing written",
                       "\n".join(details), diagnostics=found)
    try:
        outputs = build_outputs(document, Path(path).stem, Path(options.output_dir), options.target,
                                options.template, charts=options.charts, source_path=path,
                                diagnostics=diagnostics)
        write_all_atomic(outputs.files)
    except (BuildError, TemplateError) as exc:
        return Outcome(path, Status.ERRORS, f"{path}: error: {exc}; nothing written", "\n".join(details),
                       diagnostics=found)
    except OSError as exc:  # the user's folder: read-only, full, a file where a folder should be, …
        return Outcome(path, Status.ERRORS, f"{path}: error: {cannot_write(exc)}; nothing written", "\n".join(details),
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


def compiled(path: str, allow_path: tuple[str, ...], keep: bool = True) -> tuple:
    """(document, diagnostics, {"details", "json", "errors", "warnings"}) of the report: kept from the
    last compile when nothing it read has changed (check_cache.py), else compiled now (and kept)."""
    from . import check_cache

    found = check_cache.load_compiled(path, allow_path) if keep else None
    if found is not None:
        return found
    from .compiler import Links, compile_file
    from .diagnostics import render_text, severity_counts, to_json_obj

    result = compile_file(path, Links.default(path, allow_path))
    errors, warnings = severity_counts(list(result.diagnostics))
    kept = {"details": [render_text(d, result.sources) + "\n" for d in result.diagnostics],
            "json": [to_json_obj(d) for d in result.diagnostics], "errors": errors, "warnings": warnings}
    if keep:
        check_cache.store_compiled(path, allow_path, result, kept)
    return result.document, result.diagnostics, kept


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


def compile_all(paths: list[str], options: Options, jobs: int, scheduler: Optional[str] = None) -> Iterator[Outcome]:
    """Outcomes in the order of the paths."""
    yield from run_jobs(compile_one, paths, options, jobs, _warm_up, scheduler)


def run_jobs(job: Callable, paths: list[str], options, jobs: int, warm_up: Callable,
             scheduler: Optional[str] = None) -> Iterator:
    """job(path, options) for each path: in this process with one job, else in worker processes
    (each warmed up once), or on a Dask cluster (dask_batch.py); results in the order of the paths."""
    if scheduler is not None:
        from .dask_batch import run_on_dask

        yield from run_on_dask(job, paths, options, scheduler, jobs, warm_up)
        return
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield job(path, options)
        return
    import concurrent.futures

    # Files go to the workers in small chunks: one round trip per chunk, not per file.
    chunk = max(1, min(8, len(paths) // (jobs * 4)))
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=start_worker,
                                                initargs=(os.getpid(), warm_up)) as pool:
        yield from pool.map(job, paths, [options] * len(paths), chunksize=chunk)


def start_worker(parent: int, warm_up: Callable) -> None:
    die_with(parent)
    warm_up()


def summary(statuses: list[Status]) -> str:
    counts = {status: statuses.count(status) for status in Status}
    return (f"{len(statuses)} report(s): {counts[Status.OK]} ok, {counts[Status.WARNINGS]} with warnings, "
            f"{counts[Status.ERRORS]} with errors")


def run(paths: list[str], options: Options, jobs: int, say: Callable[[str, bool], None],
        progress: Optional[Callable] = None, json_lines: bool = False, scheduler: Optional[str] = None) -> list[Status]:
    """Compile and say each result as it comes (text, or one JSON line per report); only each
    report's status is kept, so a batch of thousands holds no more than one report at a time."""
    paths = unique(paths)
    clashes = output_clashes(paths)
    refused = [clash_outcome(path, clashes[path]) for path in paths if path in clashes]
    statuses = []
    for outcome in [*refused, *compile_all([p for p in paths if p not in clashes], options, jobs, scheduler)]:
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
