"""The editor's compile keeps what an edit did not change (parsed statements, items trees, built
blocks, table rows, loop members, declared checks' verdicts); after every edit of a random sequence
its diagnostics and document are those of a fresh compile of the same text: nothing kept goes stale."""

import random
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportdsl.compiler import compile_source
from reportdsl.editor import kept_blocks, statement_parses
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


CHECKED = re.compile(r"^(check [^\n]*?(?:==|<=|>=) *)(\d+(?:\.\d+)?)", re.M)
HEADER = re.compile(r'^report .*$', re.M)


def change_what_a_check_compares_with(text: str, rng: random.Random) -> str:
    """A declared check made to fail (or to hold again): which checks fire changes."""
    chosen = rng.choice(list(CHECKED.finditer(text)))
    figure = rng.choice([chosen.group(2) + "1", str(rng.randint(0, 500)), "0"])
    return text[:chosen.start(2)] + figure + text[chosen.end(2):]


def edit_the_header(text: str, rng: random.Random) -> str:
    """The layout named in the header changed (another layout, or one that is not there), or the
    prior-year report named otherwise, or the year."""
    header = HEADER.search(text)
    line = header.group()
    line = rng.choice([
        re.sub(r'layout ("[^"]*"|\S+)', rng.choice(['layout hubei', 'layout "shanghai-2024"', 'layout "nowhere"']), line),
        re.sub(r' prior "[^"]*"', rng.choice(['', ' prior "missing_2022.rpt"']), line),
        re.sub(r"year (\d+)", lambda m: f"year {int(m.group(1)) + rng.choice([-1, 1])}", line),
    ])
    return text[:header.start()] + line + text[header.end():]


def split_a_comment(text: str, rng: random.Random) -> str:
    """A comment's last character made a line end: nothing after it moves, every line number does."""
    ends = [m.end() - 1 for m in re.finditer(r"#[^\n]+(?=\n)", text)]
    at = rng.choice(ends)
    return text[:at] + "\n" + text[at + 1:]


EDITS = [change_a_figure, change_a_figure, type_a_line, edit_a_reason, rename_a_name, delete_a_line,
         change_what_a_check_compares_with, edit_the_header, split_a_comment]
UNDO = len(EDITS)  # the edit before undone


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


EDIT_SEQUENCES = st.lists(st.tuples(st.integers(0, UNDO), st.integers(0, 2**32 - 1)), min_size=1,
                          max_size=EDITS_PER_SEQUENCE)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REPORTS), EDIT_SEQUENCES)
def test_after_every_edit_of_a_random_sequence_the_session_says_what_a_fresh_compile_says(path, edits):
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    history = [text]
    same_as_fresh(path, session.check(path, text), text)
    for kind, seed in edits:
        if kind == UNDO:
            text = history[-2] if len(history) > 1 else text
        else:
            text = EDITS[kind](text, random.Random(seed))
        history.append(text)
        same_as_fresh(path, session.check(path, text), text)


def test_a_changed_prior_year_report_is_read_again(tmp_path):
    for name in ("hongshan_2022.rpt", "hongshan_2023.rpt"):
        shutil.copy(ROOT / "reports" / name, tmp_path / name)
    path, prior = str(tmp_path / "hongshan_2023.rpt"), tmp_path / "hongshan_2022.rpt"
    text, last_year = Path(path).read_text(encoding="utf-8"), prior.read_text(encoding="utf-8")
    session = EditSession()
    same_as_fresh(path, session.check(path, text), text)
    for changed in (last_year.replace("= 447.20", "= 447.3", 1), last_year.replace("= 447.20", "= 447.205", 1),
                    last_year.replace("year 2022", "year 2021", 1), last_year):
        prior.write_text(changed, encoding="utf-8")
        result = session.check(path, text)
        same_as_fresh(path, result, text)
        assert result.prior is None or result.prior.source.text == changed


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


def test_an_answer_tells_apart_figures_that_differ_in_any_field():
    from decimal import Decimal

    import attrs

    from reportdsl.values import Quantity

    plain = Quantity(Decimal("1.0"), "万元")
    others = [Quantity(Decimal("1.00"), "万元"), Quantity(Decimal("1.0"), "元"),
              Quantity(Decimal("1.0"), "万元", Decimal("0.05")), Quantity(Decimal("1.0"), "万元", other_base=Decimal(2)),
              attrs.evolve(plain, format="%.2"), attrs.evolve(plain, decimals=1)]
    assert len(others) == len(attrs.fields(Quantity))
    printed = kept_blocks.Answers.print
    assert all(printed(None, other) != printed(None, plain) for other in others)


TOKENS = st.sampled_from(["\n", "fact ", "para ", "items ", "table", "x", " ", "{", "}", "(", ")", "[", "]", '"', "'",
                          '"""', "\\", "#", "= 1"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(TOKENS, max_size=60), st.integers(0, 60), st.integers(0, 8), st.lists(TOKENS, max_size=6))
def test_statement_starts_found_again_after_an_edit_are_those_of_the_whole_text(tokens, at, removed, typed):
    before = "".join(tokens)
    after = "".join(tokens[:at] + typed + tokens[at + removed:])
    starts = statement_parses.statement_starts(before)
    if starts:
        assert statement_parses.starts_after_edit(before, starts, after) == statement_parses.statement_starts(after)


def test_a_table_or_loop_built_again_takes_the_rows_and_members_whose_items_did_not_change(monkeypatch):
    built, kept, members = [], [], []
    build_row, keep_row = kept_blocks.ReusingBuilder.built_row, kept_blocks.ReusingBuilder.kept_row
    build_member = kept_blocks.ReusingBuilder._built_member
    monkeypatch.setattr(kept_blocks.ReusingBuilder, "built_row", lambda self, key, *rest: built.append(key) or build_row(self, key, *rest))
    monkeypatch.setattr(kept_blocks.ReusingBuilder, "kept_row",
                        lambda self, key, *rest: kept.append(key) or keep_row(self, key, *rest))
    monkeypatch.setattr(kept_blocks.ReusingBuilder, "_built_member",
                        lambda self, key, *rest: members.append(key) or build_member(self, key, *rest))
    path = REPORTS[1]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    built.clear()
    members.clear()
    edited = text.replace("(0,  52.00, 51.32,", "(0,  52.00, 51.35,", 1)  # 行政运行's 基本支出, under typed totals
    same_as_fresh(path, session.check(path, edited), edited)
    assert {key[-1] for key in built} == {"2013901"}  # its row, in each table that lists gpb's items
    assert len(kept) > 10 * len(built)
    assert [key[-1] for key in members] == ["2013901"]  # its paragraph of the list of 项级科目


def test_a_declared_check_is_decided_again_only_when_what_it_reads_changed(monkeypatch):
    from reportdsl.editor import kept_checks

    decided = []
    evaluate = kept_checks.evaluate_check
    monkeypatch.setattr(kept_checks, "evaluate_check", lambda ev, check: decided.append(check) or evaluate(ev, check))
    path = REPORTS[1]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    everything = len(decided)
    decided.clear()
    moved = "# 一行注释\n" + text  # every check of the report moves; none is decided again
    same_as_fresh(path, session.check(path, moved), moved)
    assert everything > 50 and decided == []
    failing = moved.replace("check 本年收入合计 == 307.82", "check 本年收入合计 == 307.83", 1)
    result = session.check(path, failing)
    same_as_fresh(path, result, failing)
    assert [check.expr.right.value for check in decided] == [Decimal("307.83")]
    assert any(d.code == "RD302" and d.span.line == 101 for d in result.diagnostics)
    same_as_fresh(path, session.check(path, moved), moved)  # undone


def test_a_report_whose_item_line_changed_is_merged_into_its_layout_as_before_without_merging_again(monkeypatch):
    from reportdsl import layouts
    from reportdsl.lark_parser import parse_text_now

    path = REPORTS[0]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    merges = []
    merge = layouts.Merger.merge
    monkeypatch.setattr(layouts.Merger, "merge", lambda self: merges.append(self) or merge(self))
    edited = text.replace("(169.84,", "(169.85,", 1)
    result = session.check(path, edited)
    assert merges == []
    same_as_fresh(path, result, edited)
    layout = session.files.parse_layout(str(layouts.layout_path("hubei", path)))[1]
    assert result.report.body == layouts.apply_layout(parse_text_now(SourceFile(path, edited)), layout)[0].body
    merges.clear()
    typed_line = "# 一行\n" + edited  # every statement moved: merged again
    session.check(path, typed_line)
    assert len(merges) == 1


def parsed_with_spans(parse) -> tuple:
    """A parse's outcome with every span and comment (equality of syntax nodes ignores spans), or its error."""
    from reportdsl import ast
    from reportdsl.diagnostics import CompileError

    try:
        report = parse()
    except CompileError as exc:
        return ("error", tuple(exc.diagnostics))
    spans = [(type(node).__name__, node.span) for node in ast.walk(report)]
    return ("report", report, spans, [(comment.text, comment.span) for comment in report.comments])


ITEM_LINE = re.compile(r"^ +\S+ +\"[^\"\n]*\" *\([^\n]*$", re.M)
KEYSTROKES = ["1", "0", ".", " ", "-", ",", "?", '"', "中", "#", "{", "}", "(", ")", "\n", ' reason "x"', ' note "y"']


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.sampled_from(REPORTS), st.lists(st.tuples(st.integers(0, 2**32 - 1), st.sampled_from(KEYSTROKES + [""])),
                                          min_size=1, max_size=12))
def test_keys_typed_or_deleted_in_item_lines_parse_as_the_whole_text_does_with_every_position(path, keys):
    """An item's line edited (item_blocks.read_item_line reads it alone, the items after it move):
    the statements, their spans and comments are those of parsing the whole text, or its error."""
    from reportdsl.lark_parser import parse_text_now

    text = (ROOT / path).read_text(encoding="utf-8")
    parses = statement_parses.StatementParses()
    parses.parse(SourceFile(path, text))
    for seed, key in keys:
        rng = random.Random(seed)
        line = rng.choice(list(ITEM_LINE.finditer(text)))
        at = rng.randrange(line.start(), line.end() + 1)
        text = text[:at] + key + text[at + (0 if key else 1):]  # "": the character there deleted
        source = SourceFile(path, text)
        assert parsed_with_spans(lambda: parses.parse(source)) == parsed_with_spans(lambda: parse_text_now(source))


def test_an_item_typed_into_key_by_key_is_read_alone_and_says_where_things_are_as_a_fresh_compile(monkeypatch):
    """Typing a reason one character at a time, then a figure growing and shrinking: every pause
    reads only the edited item again, and each diagnostic's line and column (below the edit, and on
    lines whose text moved) are a fresh compile's."""
    from reportdsl import lark_parser

    whole = []
    parse = lark_parser.parse_text_now
    monkeypatch.setattr(lark_parser, "parse_text_now", lambda source: whole.append(source) or parse(source))
    path = REPORTS[0]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    whole.clear()
    at = text.index('reason "新增人员"') + len('reason "新增人员')
    typed = [text[:at] + "增加了两名工作人员"[:count] + text[at:] for count in range(1, 10)]
    figure = text.index("(169.84,") + 1
    grown = [typed[-1][:figure] + digits + typed[-1][figure + len("169.84"):] for digits in ("1169.84", "11169.8", "9.8", "169.84")]
    for edited in typed + grown:
        whole.clear()
        result = session.check(path, edited)
        assert whole == []  # nothing parsed by Lark: each edit read one item line
        same_as_fresh(path, result, edited)
        assert any(d.span is not None and d.span.line > 100 for d in result.diagnostics)


def test_what_a_kept_statement_made_is_moved_only_when_a_line_or_tree_it_holds_changed(monkeypatch):
    moves = []
    move = kept_blocks.ReusingBuilder._move
    monkeypatch.setattr(kept_blocks.ReusingBuilder, "_move", lambda self, value, done: moves.append(value) or move(self, value, done))
    path = REPORTS[0]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text)
    for figure in ("447.21", "447.29", "447.20"):  # a fact's figure, typed over: no line a kept statement holds moved
        edited = text.replace("fact 收支总计@上年 = 447.20", f"fact 收支总计@上年 = {figure}", 1)
        same_as_fresh(path, session.check(path, edited), edited)
    assert moves == []
    longer = text.replace("# ==== 第一部分", "# ==== 第一部分（改）", 1)  # every later line starts elsewhere
    same_as_fresh(path, session.check(path, longer), longer)
    assert moves
    moves.clear()
    same_as_fresh(path, session.check(path, longer.replace("（改）", "（又改）", 1)), longer.replace("（改）", "（又改）", 1))
    assert moves


def test_a_comment_edited_above_the_first_statement_keeps_the_header_and_the_layouts_merge(monkeypatch):
    from reportdsl import layouts

    path = REPORTS[0]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    first = session.check(path, text)
    merges = []
    merge = layouts.Merger.merge
    monkeypatch.setattr(layouts.Merger, "merge", lambda self: merges.append(self) or merge(self))
    for words in ("# ==== 第二部分", "# ==== 第三部分"):  # a comment below the header line, as long
        edited = text.replace("# ==== 第一部分", words, 1)
        merges.clear()
        result = session.check(path, edited)
        assert merges == [] and result.report.header is first.report.header
        same_as_fresh(path, result, edited)
    merges.clear()
    year = text.replace("year 2023", "year 2024", 1)  # the header itself changed: parsed and merged again
    assert session.check(path, year).report.header is not first.report.header and len(merges) == 1


def test_a_definition_of_the_report_alone_renamed_keeps_the_layouts_merge_unless_a_name_is_the_layouts(monkeypatch):
    from reportdsl import layouts

    path = REPORTS[0]
    text = (ROOT / path).read_text(encoding="utf-8")
    session = EditSession()
    session.check(path, text.replace("自评项目资金合计", "自评项目资金合计甲"))
    merges = []
    merge = layouts.Merger.merge
    monkeypatch.setattr(layouts.Merger, "merge", lambda self: merges.append(self) or merge(self))
    for name in ("自评项目资金合计乙", "自评项目资金合计丙"):  # as long: nothing else moves
        edited = text.replace("自评项目资金合计", name)
        merges.clear()
        result = session.check(path, edited)
        assert merges == []
        same_as_fresh(path, result, edited)
    last = text.replace("自评项目资金合计", "自评项目资金合计丙")
    taken = last.replace("let 自评项目资金合计丙 =", "let 本年支出合计    =", 1)  # the layout's name, as long: merged again
    merges.clear()
    result = session.check(path, taken)
    assert len(merges) == 1
    same_as_fresh(path, result, taken)
