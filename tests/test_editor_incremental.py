"""The editor's compile keeps what an edit did not change (parsed statements, built blocks); after
every edit of a random sequence its diagnostics and document are those of a fresh compile of the
same text: nothing kept goes stale."""

import random
import re
from pathlib import Path

import pytest

from reportdsl.compiler import compile_source
from reportdsl.editor import kept_blocks
from reportdsl.editor.session import EditSession
from reportdsl.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ["reports/hongshan_2023.rpt", "reports/putuo_social_work_2024.rpt"]
EDITS_PER_SEQUENCE = 14

FIGURE = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")
REASON = re.compile(r'(reason|note) "([^"\n{}]*)"')
DEFINED = re.compile(r"^(?:fact|let) ([^\s=@]+)\s*=", re.M)


def change_a_figure(text: str, rng: random.Random) -> str:
    found = [m for m in FIGURE.finditer(text) if "#" not in text[text.rfind("\n", 0, m.start()):m.start()]]
    chosen = rng.choice(found)
    figure = f"{rng.randint(0, 400)}.{rng.randint(0, 99):02d}"
    return text[:chosen.start()] + figure + text[chosen.end():]


def type_a_line(text: str, rng: random.Random) -> str:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    at = rng.choice(starts)
    return text[:at] + f"# 新的一行 {rng.randint(0, 99)}\n" + text[at:]


def edit_a_reason(text: str, rng: random.Random) -> str:
    chosen = rng.choice(list(REASON.finditer(text)))
    words = rng.choice(["", "人员增加", chosen.group(2) + "等", "?"])
    new = f"{chosen.group(1)} ?" if words == "?" else f'{chosen.group(1)} "{words}"'
    return text[:chosen.start()] + new + text[chosen.end():]


def rename_a_name(text: str, rng: random.Random) -> str:
    name = rng.choice(DEFINED.findall(text))
    new = name + rng.choice(["甲", "乙"])
    if rng.random() < 0.3:  # only where it is defined: its uses are left undefined
        return re.sub(rf"^((?:fact|let) ){re.escape(name)}(?![\w])", rf"\g<1>{new}", text, count=1, flags=re.M)
    return re.sub(rf"(?<![\w@.\[]){re.escape(name)}(?![\w])", new, text)


def delete_a_line(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


EDITS = [change_a_figure, change_a_figure, type_a_line, edit_a_reason, rename_a_name, delete_a_line]


def same_as_fresh(path: str, result, text: str) -> None:
    fresh = compile_source(SourceFile(path, text))
    assert result.diagnostics == fresh.diagnostics
    if fresh.document is None:
        assert result.document is None
        return
    assert result.document == fresh.document
    assert [block.span for block in result.document.blocks] == [block.span for block in fresh.document.blocks]
    assert [block.figures for block in result.document.blocks if hasattr(block, "figures")] == \
        [block.figures for block in fresh.document.blocks if hasattr(block, "figures")]
    assert [figure_use(use) for use in result.document.figures] == [figure_use(use) for use in fresh.document.figures]


def figure_use(use) -> tuple:
    scope = {name: getattr(getattr(value, "node", None), "key", value) for name, value in use.scope.items()}
    return (use.kind, use.value, getattr(use.value, "span", None), use.format, use.shown, use.before, use.span,
            use.expr, getattr(use.expr, "span", None), scope)


@pytest.mark.parametrize("seed", range(4))
def test_after_every_edit_the_session_says_what_a_fresh_compile_says(seed):
    rng = random.Random(seed)
    path = REPORTS[seed % len(REPORTS)]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    history = [text]
    same_as_fresh(path, session.check(path, text), text)
    for _ in range(EDITS_PER_SEQUENCE):
        if len(history) > 1 and rng.random() < 0.15:
            text = history[-2]  # undone
        else:
            text = rng.choice(EDITS)(text, rng)
        history.append(text)
        same_as_fresh(path, session.check(path, text), text)


NAMED_EDITS = {  # the benchmark's edits (benchmarks/run.py), each typed twice
    REPORTS[0]: [("(169.84,", "(169.8{}, "), ('reason "增加医疗费报销"', 'reason "增加医疗费报销{}"'),
                 ("# ==== 第一部分", "# {}\n# ==== 第一部分"), ("自评项目资金合计", "自评项目资金合计{}")],
    REPORTS[1]: [("(0,  52.00, 51.32,", "(0,  52.00, 51.3{},"),
                 ('reason "人员有变动，实际支出低于预算"', 'reason "人员有变动，实际支出低于预算{}"'),
                 ('reason "单位年内新组建、人员有变动，按实际发生数支出"', 'reason ?'), ("成立年份", "成立年份{}")],
}


@pytest.mark.parametrize("path", REPORTS)
def test_each_kind_of_edit_gives_what_a_fresh_compile_gives(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    for old, new in NAMED_EDITS[path]:
        for number in (5, 7):
            edited = text.replace(old, new.format(number)) if old == "成立年份" or "合计" in old \
                else text.replace(old, new.format(number), 1)
            assert edited != text
            same_as_fresh(path, session.check(path, edited), edited)


def test_the_layouts_blocks_are_kept_when_nothing_they_read_changed(monkeypatch):
    built = []
    build = kept_blocks.ReusingBuilder._built
    monkeypatch.setattr(kept_blocks.ReusingBuilder, "_built", lambda self, block: built.append(block) or build(self, block))
    path = REPORTS[0]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    first = len(built)
    session.check(path, "# 一行注释\n" + text)
    assert first > 20 and built[first:] == []
    session.check(path, text.replace("(169.84,", "(169.85,", 1))  # an item of gpb: what prints gpb is built again
    assert 0 < len(built) - first < first
