"""The files a report depends on, kept between compiles while an editor or the preview runs."""

from __future__ import annotations

from pathlib import Path

import attrs

from ..compiler import Links, Result, compile_file, read_and_parse


class FileCache:
    """The files an open report depends on, kept until their size or time changes: the prior-year
    report compiled, the layout read and parsed. Only the edited file is compiled on each change."""

    def __init__(self):
        self.kept: dict[tuple, tuple[tuple, object]] = {}

    def _kept(self, kind: str, path: str, extra: tuple, make):
        try:
            stat = Path(path).stat()
        except OSError:
            return make()
        key, stamp = (kind, str(Path(path).resolve())), (stat.st_mtime_ns, stat.st_size, extra)
        if key not in self.kept or self.kept[key][0] != stamp:
            self.kept[key] = (stamp, make())
        return self.kept[key][1]

    def compile_prior(self, path: str, links: Links) -> Result:
        own = attrs.evolve(links, parse_report=None, build_document=None, kept_trees=None, judge_check=None,
                           apply_layout=None)  # the edited file's ways are its own
        return self._kept("prior", path, links.chain, lambda: compile_file(path, own))

    def parse_layout(self, path: str):
        return self._kept("layout", path, (), lambda: read_and_parse(path))

    def links(self, path: str) -> Links:
        """Links for compiling `path` that take its layout and prior-year report from here."""
        return attrs.evolve(Links.default(path), compile_prior=self.compile_prior, parse_layout=self.parse_layout)

    def compile(self, path: str) -> Result:
        return compile_file(path, self.links(path))


def warm_parser() -> None:
    """Load the parser aside (in a thread): a file's first change then costs no import."""
    import threading

    from ..lark_parser import _lark

    threading.Thread(target=_lark, daemon=True).start()
