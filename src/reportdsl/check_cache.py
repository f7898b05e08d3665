"""What `check` printed for a report, kept in the user's cache folder (beside the parse cache): a
report checked again with nothing changed — its text, every file it read (layout, prior-year
reports), the way it was called, reportdsl itself — prints the same without being compiled, as a
build tool skips a target whose inputs did not change. Likewise a prior-year report known to have
no errors is only evaluated (its values are what the next year reads), not laid out and checked,
and `compile` keeps the compiled document and its diagnostics (a pickle beside the entry, with a
hash of it in the entry), so compiling an unchanged report again only renders it.

An entry is found by a hash of the report's text, its path as given, the working folder, the
--allow-path folders and reportdsl's code; it lists the files the compile read with a hash of each,
and is used only if every one of them still hashes the same. A result that says a named file is
missing or may not be read (RD004, RD005, RD006) is never kept: creating that file would change it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Optional

import attrs

from .parse_cache import cache_folder

NOT_KEPT = ("RD000", "RD004", "RD005", "RD006")
KEEP = 2000  # entries; the least recently written go first
KEEP_COMPILED = 200  # a compiled document is a pickle of about 250 KB for a department's report
CODE_SUFFIXES = (".py", ".rpt", ".lark", ".tsv", ".json")


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """reportdsl's own files (code, grammar, layouts, data) by name, size and time, and its version."""
    import sys

    from . import __version__

    package = Path(__file__).parent
    grammar = package.parents[1] / "grammar"  # a source checkout's grammar; an installed one is in the package
    files = [p for folder in (package, grammar) if folder.is_dir() for p in folder.rglob("*")
             if p.suffix in CODE_SUFFIXES]
    stamps = []
    for path in sorted(files):
        stat = path.stat()
        stamps.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return _digest("\n".join([__version__, sys.version, *stamps]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def text_digest(path: str) -> Optional[str]:
    """A hash of a file's text as the compiler reads it (UTF-8, BOM dropped, any line ends as LF); None
    for what the compiler would refuse (a FIFO, a device, a file too large, not UTF-8)."""
    from .regular_files import read_regular_file
    from .source import normalize_newlines

    try:
        text = read_regular_file(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return _digest(normalize_newlines(text))


def _entry(path: str, allow_path: tuple[str, ...], kind: str = "checked") -> Optional[Path]:
    folder = cache_folder()
    digest = text_digest(path)
    if folder is None or digest is None:
        return None
    key = _digest("\0".join((code_stamp(), path, os.getcwd(), *allow_path, digest)))
    return folder / kind / f"{key[:32]}.json"


def load(path: str, allow_path: tuple[str, ...]) -> Optional[dict]:
    """The kept result of checking `path` (as `store` was given it), or None."""
    return _read(_entry(path, allow_path))


def _read(entry: Optional[Path]) -> Optional[dict]:
    """An entry whose files all still read the same."""
    if entry is None:
        return None
    try:
        kept = json.loads(entry.read_text(encoding="utf-8"))
        files = kept["files"]
        if any(str(Path(name).resolve()) != resolved or text_digest(name) != digest for name, resolved, digest in files):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return kept


def _prior_entry(path: str, roots: tuple) -> Optional[Path]:
    return _entry(str(Path(path).resolve()), tuple(map(str, roots)), kind="prior")


def prior_known_clean(path: str, roots: tuple) -> bool:
    """True when the prior-year report at `path`, read from `roots`, compiled before without errors
    and neither it nor any file it read has changed since."""
    kept = _read(_prior_entry(path, roots))
    return kept is not None and kept.get("errors") == 0


def remember_prior(path: str, roots: tuple, result) -> None:
    """Keep whether a prior-year report compiled without errors, with the files it read."""
    if not any(d.is_error for d in result.diagnostics):
        _write(_prior_entry(path, roots), result, {"errors": 0})


def store(path: str, allow_path: tuple[str, ...], result, checked: dict) -> None:
    """Keep what checking `path` printed ({"text", "json", "to_fill", "errors", "warnings"}), with the
    files its compile read."""
    if not any(d.code in NOT_KEPT for d in result.diagnostics):
        _write(_entry(path, allow_path), result, checked)


def load_compiled(path: str, allow_path: tuple[str, ...]) -> Optional[tuple]:
    """(document, diagnostics, what store_compiled kept) of compiling `path` before, when nothing
    it read has changed since; else None."""
    import pickle

    entry = _entry(path, allow_path, kind="compiled")
    kept = _read(entry)
    if kept is None:
        return None
    try:
        data = entry.with_suffix(".pickle").read_bytes()
        if hashlib.sha256(data).hexdigest() != kept["pickle"]:
            return None  # written by another compile at the same moment, or damaged
        document, diagnostics = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry costs a compile, never a failure
        return None
    return document, diagnostics, kept


def store_compiled(path: str, allow_path: tuple[str, ...], result, kept: dict) -> None:
    """Keep the compiled document and diagnostics of `path`, with what the compile said of them (`kept`)."""
    import pickle

    entry = _entry(path, allow_path, kind="compiled")
    if entry is None or any(d.code in NOT_KEPT for d in result.diagnostics):
        return
    # The document lists its named figures when first asked (a closure over the evaluator): kept listed.
    document = result.document if result.document is None else attrs.evolve(  # None: a report with errors
        result.document, named_later=functools.partial(tuple, result.document.named))
    try:
        data = pickle.dumps((document, result.diagnostics), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - what cannot be kept costs a compile next time, never a failure
        return
    if _replace(entry.with_suffix(".pickle"), lambda stream: stream.write(data), "wb"):
        _write(entry, result, {**kept, "pickle": hashlib.sha256(data).hexdigest()}, KEEP_COMPILED)


def _write(entry: Optional[Path], result, kept: dict, keep: int = KEEP) -> None:
    """Write an entry with the files the compile read (a cache that cannot be written only costs time)."""
    if entry is None:
        return
    files = []
    for name, source in result.sources.items():
        if name == result.source.path:
            continue
        digest = text_digest(name)
        if digest is None or digest != _digest(source.text):  # changed while it was compiled
            return
        files.append((name, str(Path(name).resolve()), digest))
    if _replace(entry, lambda stream: json.dump({"files": files, **kept}, stream, ensure_ascii=False), "w"):
        _prune(entry.parent, keep)


def _replace(path: Path, write, mode: str) -> bool:
    """Write a file under a temporary name and rename it into place; False when it cannot be written
    (a cache that cannot be written only costs time)."""
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as stream:
                write(stream)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def _prune(folder: Path, keep: int = KEEP) -> None:
    entries = list(folder.glob("*.json"))
    if len(entries) > 2 * keep:
        entries.sort(key=lambda p: p.stat().st_mtime)
        for stale in entries[: len(entries) - keep]:
            stale.unlink(missing_ok=True)
            stale.with_suffix(".pickle").unlink(missing_ok=True)
