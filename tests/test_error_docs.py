"""Every code in docs/errors.md has an example; each example compiles to the output printed under it.

Run `python tests/test_error_docs.py --update` to rewrite the outputs after a deliberate change
(then read the diff of docs/errors.md before committing it).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from reportdsl.compiler import compile_file
from reportdsl.diagnostics import CODES, render_text

DOC = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
EXAMPLE = re.compile(r"```rpt( gbk)?\n(.*?)```\n(?:\n```text\n(.*?)```\n)?", re.S)
SIDE_FILE = re.compile(r"```rpt file=(\S+)\n(.*?)```\n", re.S)  # another file the example names


def sections(text: str) -> list[tuple[str, str]]:
    """(code, body) for each '### RDnnn' section."""
    parts = re.split(r"^### (RD\d{3}) .*$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def examples(body: str):
    for match in EXAMPLE.finditer(body):
        yield match.group(1) is not None, match.group(2), match.group(3)


def side_files(body: str) -> dict[str, str]:
    return {match.group(1): match.group(2) for match in SIDE_FILE.finditer(body)}


def run_example(tmp_path: Path, source: str, gbk: bool, code: str, sides: dict[str, str] = {}) -> str:
    for name, text in sides.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "example.rpt"
    path.write_bytes(source.encode("gbk" if gbk else "utf-8"))
    result = compile_file(str(path))
    shown = [render_text(d, result.sources) for d in result.diagnostics if d.code == code]
    return "\n\n".join(shown).replace(str(tmp_path) + "/", "") + "\n"


def test_every_code_is_documented():
    documented = [code for code, _ in sections(DOC.read_text(encoding="utf-8"))]
    assert sorted(documented) == sorted(CODES)


CASES = [(code, i, gbk, source, expected, side_files(body))
         for code, body in sections(DOC.read_text(encoding="utf-8"))
         for i, (gbk, source, expected) in enumerate(examples(body))]


@pytest.mark.parametrize("code,index,gbk,source,expected,sides", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_example_gives_its_code(tmp_path, code, index, gbk, source, expected, sides):
    output = run_example(tmp_path, source, gbk, code, sides)
    assert f"[{code}]" in output, f"example for {code} did not produce it"
    assert output == expected


def update() -> None:
    import tempfile

    text = DOC.read_text(encoding="utf-8")

    def fill(code: str, sides: dict[str, str]):
        def replace(match: re.Match) -> str:
            gbk, source = match.group(1) is not None, match.group(2)
            with tempfile.TemporaryDirectory() as tmp:
                output = run_example(Path(tmp), source, gbk, code, sides)
            return f"```rpt{match.group(1) or ''}\n{source}```\n\n```text\n{output}```\n"
        return replace

    pieces = re.split(r"(^### RD\d{3} .*$)", text, flags=re.M)
    for index in range(1, len(pieces), 2):
        code = pieces[index].split()[1]
        pieces[index + 1] = EXAMPLE.sub(fill(code, side_files(pieces[index + 1])), pieces[index + 1])
    DOC.write_text("".join(pieces), encoding="utf-8")


if __name__ == "__main__" and "--update" in sys.argv:
    update()
