"""Drawn charts kept in the user's cache folder (beside the parse cache), so an unchanged chart is
never drawn twice. The key is a hash of everything the picture depends on: the chart's data, the
drawing code (its style), the format, and for PNG the matplotlib version and matplotlib's font list.
An entry is written atomically and carries a hash of its own bytes: a damaged entry is drawn again."""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Optional

from .. import model
from ..parse_cache import cache_folder

MAGIC = b"reportdsl-chart-1\n"


@functools.lru_cache(maxsize=1)
def drawing_code_digest() -> str:
    folder = Path(__file__).parent
    return hashlib.sha256(b"".join((folder / name).read_bytes() for name in ("charts.py", "svg_chart.py"))).hexdigest()


def matplotlib_fingerprint() -> str:
    """matplotlib's version and its font list (the fonts it would draw with), read without importing it."""
    import importlib.metadata

    try:
        version = importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        version = "none"
    fonts = hashlib.sha256(b"\0".join(matplotlib_font_lists()))
    return f"{version}:{fonts.hexdigest()}"


def matplotlib_font_lists() -> list[bytes]:
    """The font lists matplotlib keeps in its cache folder (it draws with the fonts they name)."""
    folder = Path(os.environ.get("MPLCONFIGDIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                  / "matplotlib")
    lists = []
    for path in sorted(folder.glob("fontlist-*.json")):
        try:
            lists.append(path.name.encode() + b"\0" + path.read_bytes())
        except OSError:
            pass
    return lists


def chart_key(chart: model.ChartModel, form: str) -> str:
    data = "\0".join((chart.kind, chart.title, chart.unit, *chart.labels, *map(str, chart.values), *chart.value_texts))
    depends = matplotlib_fingerprint() if form == "png" else ""
    return hashlib.sha256("\x01".join((form, drawing_code_digest(), depends, data)).encode("utf-8")).hexdigest()[:40]


def _entry(key: str) -> Optional[Path]:
    folder = cache_folder()
    return None if folder is None else folder / "charts" / f"{key}.chart"


def load(key: str) -> Optional[bytes]:
    path = _entry(key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, digest, body = data[: len(MAGIC)], data[len(MAGIC): len(MAGIC) + 64], data[len(MAGIC) + 64:]
    if head != MAGIC or hashlib.sha256(body).hexdigest().encode() != digest:
        return None  # damaged or foreign: never trusted
    return body


def store(key: str, image: bytes) -> None:
    path = _entry(key)
    if path is None:
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(MAGIC + hashlib.sha256(image).hexdigest().encode() + image)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        prune(path.parent)
    except OSError:
        pass  # a cache that cannot be written only costs time


def prune(folder: Path, keep: int = 2000) -> None:
    """At most about `keep` entries: the least recently written go first."""
    entries = list(folder.glob("*.chart"))
    if len(entries) > 2 * keep:
        entries.sort(key=lambda p: p.stat().st_mtime)
        for stale in entries[: len(entries) - keep]:
            stale.unlink(missing_ok=True)


def cached(chart: model.ChartModel, form: str, draw: Callable[[model.ChartModel], bytes]) -> bytes:
    """The chart's image from the cache, else drawn and kept. The key is computed again after drawing
    for PNG: the first drawing may have made matplotlib's font list."""
    image = load(chart_key(chart, form))
    if image is None:
        image = draw(chart)
        store(chart_key(chart, form), image)
    return image
