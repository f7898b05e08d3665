"""Item blocks read without Lark (item_blocks.py) give exactly what Lark gives: the same nodes, every
span, every comment, and the same diagnostics for a file that does not parse. Compared on every report
and layout of the repository, on mutants of their item blocks, and on generated item blocks."""

import os
import random
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportdsl import ast
from reportdsl.diagnostics import CompileError
from reportdsl.item_blocks import read_item_blocks
from reportdsl.lark_parser import _parse_file, parse_expression, parse_text_now
from reportdsl.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("REPORTDSL_FUZZ_EXAMPLES", "300"))  # CI's fuzz step: 10,000, so 1,000 blocks here
REPORTS = sorted(p for folder in ("reports", "src/reportdsl/layouts", "tests/fixtures") for p in (ROOT / folder).glob("*.rpt"))


def parsed_both_ways(text: str):
    """(what the fast path gives, what Lark alone gives): a report with all its spans and comments,
    or the diagnostics of the error."""
    source = SourceFile("case.rpt", text)
    return outcome(lambda: parse_text_now(source)), outcome(lambda: _parse_file(source, {}))


def outcome(parse):
    try:
        report = parse()
    except CompileError as exc:
        return ("error", tuple(exc.diagnostics))
    nodes = [(type(node).__name__, outside_equality(node)) for node in ast.walk(report)]
    comments = [(comment.text, comment.span) for comment in report.comments]
    return ("report", report, nodes, comments)


def outside_equality(node) -> dict:
    """What node equality ignores: its span (and other spans), which must agree too."""
    return {field.name: getattr(node, field.name) for field in attrs.fields(type(node)) if not field.eq}


def read_blocks(text: str) -> int:
    return len(read_item_blocks(SourceFile("case.rpt", text), parse_expression))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_every_report_in_the_repository_parses_to_the_same_tree_and_spans_both_ways(path):
    fast, lark_alone = parsed_both_ways(path.read_text(encoding="utf-8"))
    assert fast == lark_alone


def test_the_sample_reports_item_blocks_are_all_read_without_lark():
    text = (ROOT / "reports" / "hongshan_2023.rpt").read_text(encoding="utf-8")
    assert read_blocks(text) == text.count("\nitems ")
    text = (ROOT / "reports" / "putuo_social_work_2024.rpt").read_text(encoding="utf-8")
    assert read_blocks(text) == text.count("\nitems ") > 0


ITEMS_SAMPLE = '''report "x" year 2023 unit 万元
items gpb "支出" (年初预算, 决算, 基本) {  # a comment after the brace
  206 "科学技术支出" note "说明" {
    20601 "管理事务" {
      2060101 "行政运行"  (169.84, 194.11 万元, -) reason "新增{1}人"
        note "反映。"
      2060102 "一般行政管理事务" ( 87.50, -120.00,   ?) reason ? # trailing
      2060103 "百分比" (-3%, - 2 个, ? 万元)
      2060104 "数字之间的空白"	( -1 ,2,	- 3.50 )
      2060105 "下一行的说明" (1, 2, 3)
        note "说明"
      2060106 "下一行的子项" (4, 5, 6)
      { 206010601 "子项" (4, 5, 6) }
    }
  }
  出国 "因公出国（境）费" (0, 0, 0)
  接待 { 外宾 "外宾" (-, 0, 1) }
}
'''

MUTATIONS = ["", "-", "?", "%", "#", '"', "{", "}", ",", "(", ")", " ", "\n", "万元", "x", "reason ", "note", "1", "reason ?",
             ".", "+ 1", "a", "if", "@", "'", "\\", "9" * 20, "0.123456789", "年"]


def mutants(text: str, count: int, seed: int):
    """`text` with one change inside its item blocks: a character deleted, or a piece inserted or put
    in place of one."""
    rng = random.Random(seed)
    inside = [i for i in range(len(text)) if text.rfind("items", 0, i) > text.rfind("\n}", 0, i)]
    for _ in range(count):
        at = rng.choice(inside)
        removed = rng.choice((0, 0, 1, 2))
        yield text[:at] + rng.choice(MUTATIONS) + text[at + removed:]


def test_the_sample_block_with_every_value_form_is_read_without_lark_and_gives_lark_tree():
    assert read_blocks(ITEMS_SAMPLE) == 1
    fast, lark_alone = parsed_both_ways(ITEMS_SAMPLE)
    assert fast[0] == "report" and fast == lark_alone


@pytest.mark.parametrize("seed", range(2))
def test_mutants_of_item_blocks_parse_or_fail_the_same_both_ways(seed):
    texts = [ITEMS_SAMPLE, (ROOT / "reports" / "hongshan_2023.rpt").read_text(encoding="utf-8")]
    read = 0
    for text in texts:
        for mutant in mutants(text, 80 if text is ITEMS_SAMPLE else 5, seed):
            fast, lark_alone = parsed_both_ways(mutant)
            assert fast == lark_alone, mutant
            read += read_blocks(mutant) > 0
    assert read > 25  # most mutants still have blocks read without Lark: both ways were compared


NAMES = st.sampled_from(["出国", "车", "a1", "notes", "reason", "error", "year", "items", "x_y", "if", "reasonable"])
CODES = st.from_regex(r"[0-9]{1,9}(\.[0-9])?", fullmatch=True)
NUMBERS = st.from_regex(r"-? ?[0-9]{1,17}(\.[0-9]{1,9})?%?( ?(万元|个|年|元x))?", fullmatch=True)
VALUES = st.one_of(NUMBERS, st.sampled_from(["-", "?", "? 万元", "?个", "- -1", "(1)", "a", "1 + 2", ""]))
LABELS = st.one_of(st.none(), st.sampled_from(['"行政运行"', '""', '"a\\"b"', '"line\n  break"', '"{x}"']))
ATTRIBUTES = st.lists(st.tuples(st.sampled_from(["reason", "note", "reasons"]),
                                st.sampled_from(['"新增"', '"增加{1 + 1}"', '"{"', '"a # b"'])), max_size=2)
GAPS = st.sampled_from([" ", "\n  ", "  # c\n  ", "\t"])


@st.composite
def item_lines(draw, depth=0):
    key = draw(st.one_of(CODES, NAMES))
    line = key
    label = draw(LABELS)
    if label is not None:
        line += draw(GAPS) + label
    if draw(st.booleans()):
        line += " (" + ", ".join(draw(st.lists(VALUES, min_size=1, max_size=3))) + ")"
    for word, text in draw(ATTRIBUTES):
        line += f" {word} {text}"
    if depth < 2 and draw(st.booleans()):
        line += " {" + draw(GAPS) + draw(GAPS).join(draw(st.lists(item_lines(depth + 1), max_size=3))) + " }"
    return line


@settings(max_examples=max(EXAMPLES // 10, 50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(item_lines(), min_size=1, max_size=4), GAPS)
def test_generated_item_blocks_parse_or_fail_the_same_both_ways(lines, gap):
    text = 'report "x" year 2023 unit 万元\nitems t "表" (a, b, c) {' + gap + gap.join(lines) + "\n}\n"
    fast, lark_alone = parsed_both_ways(text)
    assert fast == lark_alone
