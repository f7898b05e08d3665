"""Fuzzing: valid reports, mutated in every way a file arriving by e-mail can be, never crash the
compiler. Each case ends in success or in diagnostics whose positions lie inside the file, and each
that checks clean is rendered to every format (PDF, which takes LibreOffice seconds, for a sample),
so that `check` never passes a report that `compile` cannot render. Generated pathological reports
(deep chains, huge figures, texts that include themselves or double, control characters, nested
loops) go through the same.

The default run tries REPORTDSL_FUZZ_EXAMPLES cases (300); CI's dedicated fuzz step sets 10,000 and
prints the count. A crash found is kept below as a regression case.
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportdsl.compiler import compile_text, normalize_newlines
from reportdsl.diagnostics import INTERNAL
from reportdsl.fmt_command import NotLossless, formatted
from reportdsl.outputs import TARGETS, build_outputs, soffice
from reportdsl.source import SourceFile

EXAMPLES = int(os.environ.get("REPORTDSL_FUZZ_EXAMPLES", "300"))
COUNTER = {"cases": 0, "clean": 0, "rendered": 0, "pdf": 0}
CHARTS_EVERY = 100  # clean cases between two renderings with charts (matplotlib takes a while)
PDF_EVERY = 1500  # clean cases between two PDF conversions (LibreOffice takes seconds)
PDF_AT_MOST = 8
RENDERED = [kind for kind in TARGETS if kind not in ("all", "pdf")]  # every format but PDF, for each clean case

BASES = [
    '''report "示例单位" year 2023 unit 万元
# 收支
fact 收支总计 = 376.72
fact 收支总计@上年 = 447.20
let 变动 = 收支总计 - 收支总计@上年
let 变动率 = change(收支总计, 收支总计@上年) as %.1
check abs(变动率) == 15.8% "变动率"
items gpb "一般公共预算财政拨款支出" (年初预算, 决算) {
  206 "科学技术支出" {
    2060101 "行政运行" (169.84, 194.11) reason "新增人员"
    2060102 "一般行政管理事务" (87.50, 120.00)
  }
  208 "社会保障和就业支出" (0, 6.38)
}
part "{department}概况" {
  section 总体 "收入支出决算总体情况说明" {
    para "{year} 年度收、支总计均为 {收支总计} 万元，{if 变动 != 0}{变动:增减} {abs(变动)} 万元，{变动率:升降} {abs(变动率)}{else}持平{end}。"
    list {
      for x in gpb.leaves {
        para "{x.path}。年初预算为 {x.年初预算} 万元{if x.年初预算 != 0}，完成 {rate(x.决算, x.年初预算):%.2}{end}。"
      }
    }
    chart bar 图一 "收、支决算总计变动情况" { "{year - 1} 年": 收支总计@上年  "{year} 年": 收支总计 }
  }
}
''',
    '''report "示例" year 2024 unit 万元
fact 中小 = 77.3
fact 小微 = 77.3 within 中小
fact 车辆 = 0 辆
part "表" {
  table t "支出表" {
    columns ("项目", "本年" ["合计", "基本"])
    row ("合计", 中小, -)
    note "注：本表反映。"
    empty "说明：无数据。"
  }
  section plain "附件" { text """第一段
    续。

    第二段""" }
}
''',
]

FULL_WIDTH = "０１２３４５６７８９，（）：；＝｛｝“”％．"
NOISE = st.one_of(st.sampled_from(list(FULL_WIDTH) + ["\t", "\r\n", "\ufeff", "\u200b", "{", "}", '"', "'", "@", "?", "#",
                                                       "{if", "{end}", "\\", "\n", "％", "年", "万元", "é", "😀", "\x00"]),
                  st.text(min_size=1, max_size=3))


@st.composite
def mutated(draw):
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 4))):
        text = draw(mutation(text))
    return text


def mutation(text: str):
    n = len(text)
    lines = text.split("\n")
    tokens = text.split(" ")
    at = st.integers(0, max(n - 1, 0))
    return st.one_of(
        at.map(lambda i: text[:i] + text[i + 1:]),                                  # delete a character
        at.map(lambda i: text[:i] + text[i:i + 1] * 2 + text[i + 1:]),              # duplicate one
        at.map(lambda i: text[:i] + text[i + 1:i + 2] + text[i:i + 1] + text[i + 2:]),  # swap two
        st.tuples(at, NOISE).map(lambda p: text[:p[0]] + p[1] + text[p[0]:]),       # insert noise
        st.integers(0, len(lines) - 1).map(lambda i: "\n".join(lines[:i] + lines[i + 1:])),         # drop a line
        st.integers(0, len(lines) - 1).map(lambda i: "\n".join(lines[:i + 1] + lines[i:])),         # repeat a line
        st.integers(0, len(tokens) - 1).map(lambda i: " ".join(tokens[:i] + tokens[i + 1:])),       # drop a token
        st.integers(0, len(tokens) - 2).map(lambda i: " ".join(tokens[:i] + [tokens[i + 1], tokens[i]] + tokens[i + 2:])),
        st.just(text.replace("\n", "\r\n")),
        st.just("\ufeff" + text),
        st.just(text.replace("  ", "\t")),
        st.just(text.translate(str.maketrans("0123456789,():", "０１２３４５６７８９，（）："))),
    )


def assert_positions_inside(text: str, result) -> None:
    lines = normalize_newlines(text.removeprefix("\ufeff")).split("\n")
    for diagnostic in result.diagnostics:
        assert diagnostic.code != INTERNAL, (diagnostic.message, text)
        span = diagnostic.span
        assert span is not None, diagnostic
        if span.line == 0:  # about the file as a whole
            continue
        assert 1 <= span.line <= len(lines), (diagnostic, len(lines))
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (diagnostic, lines[span.line - 1])


def check_case(text: str) -> None:
    COUNTER["cases"] += 1
    cleaned = normalize_newlines(text.removeprefix("\ufeff"))
    result = compile_text(text, "fuzz.rpt")  # it drops a BOM and normalises line ends, as reading a file does
    assert_positions_inside(text, result)
    if result.report is not None:
        COUNTER["clean"] += not result.has_errors
        try:
            once = formatted(SourceFile("fuzz.rpt", cleaned))
        except NotLossless as exc:  # pragma: no cover - a formatter bug: fail with the case
            raise AssertionError(f"{exc}\n{cleaned}")
        assert formatted(SourceFile("fuzz.rpt", once)) == once
        if not result.has_errors and result.document is not None:
            render_everything(result)


def render_everything(result) -> None:
    """Every output of a report that checked clean, in memory; PDF for a sample."""
    sample = COUNTER["rendered"]
    COUNTER["rendered"] += 1
    kinds = list(RENDERED)
    if sample % PDF_EVERY == 0 and COUNTER["pdf"] < PDF_AT_MOST and soffice():
        kinds.append("pdf")
        COUNTER["pdf"] += 1
    for kind in kinds:
        outputs = build_outputs(result.document, "fuzz", Path("out"), kind, charts=sample % CHARTS_EVERY == 0,
                                source_path="fuzz.rpt", diagnostics=result.diagnostics)
        assert outputs.files and all(isinstance(data, bytes) and data for data in outputs.files.values())


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(mutated())
def mutated_reports_never_crash(text):
    check_case(text)


def test_mutated_reports_never_crash():
    tried = counted("mutated", mutated_reports_never_crash)
    assert tried["cases"] >= min(EXAMPLES, 50)


HEADER = 'report "示例" year 2023 unit 万元\n'
CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\ufffe",
           "\uffff", "\U0010ffff", "\u061c"]
FORMATS = ["", ":.2", ":.8", ":%.8", ":%g", ":g", ":cn", ":增减", ":%.1"]


@st.composite
def pathological(draw):
    """Reports made to hurt: each must end in diagnostics or in outputs, quickly."""
    kind = draw(st.sampled_from(["chain", "unary", "huge", "cycle", "double", "control", "loops", "blocks", "year"]))
    n = draw(st.integers(1, 260))
    if kind == "chain":
        op = draw(st.sampled_from([" + ", " - ", " * ", " / ", " ?? "]))
        return HEADER + f"fact a = 2\nlet b = {op.join(['a'] * n)}\npart \"p\" {{ para \"{{b}}\" }}\n"
    if kind == "unary":
        prefix, last = draw(st.sampled_from([("- ", "a"), ("not ", "a == 2")]))
        return HEADER + f"fact a = 2\nlet b = {prefix * n}{last}\n"
    if kind == "huge":
        numbers = draw(st.lists(st.sampled_from(["999999999999999", "0.00000001", "123456789012345.12345678", "1000"]),
                                min_size=1, max_size=6))
        fmt = draw(st.sampled_from(FORMATS))
        where = draw(st.sampled_from(['para "{{x{0}}}"', 'table t "表" {{ columns ("a") row (x) }}', 'chart bar c "图" {{ "a": x }}']))
        return HEADER + f"let x = {' * '.join(numbers)}\npart \"p\" {{ {where.format(fmt)} }}\n"
    if kind == "cycle":
        length = n % 6 + 1
        texts = "".join(f'fact s{i} = "第{i}段{{s{(i + 1) % length}}}"\n' for i in range(length))
        return HEADER + texts + 'part "p" { para "{s0}" }\n'
    if kind == "double":
        levels = n % 26
        texts = 'fact s0 = "ab"\n' + "".join(f'fact s{i} = "{{s{i - 1}}}{{s{i - 1}}}"\n' for i in range(1, levels + 1))
        return HEADER + texts + f'part "p" {{ para "{{s{levels}}}" }}\n'
    if kind == "control":
        text = draw(st.sampled_from(BASES))
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from(CONTROL)) + text[at:]
    if kind == "loops":
        depth, items = n % 3 + 1, n % 12 + 1
        tree = "items t (a) {\n" + "".join(f' k{i} "n{i}" ({i})\n' for i in range(items)) + "}\n"
        opened = "".join(f"for v{level} in t.leaves {{ " for level in range(depth))
        return HEADER + tree + f'part "p" {{ {opened}para "{{v0.name}} {{v0.a}}" {"} " * depth}}}\n'
    if kind == "blocks":
        return HEADER + 'part "p" {' + " list {" * (n % 80) + ' para "x"' + " }" * (n % 80) + " }\n"
    year = draw(st.sampled_from(["9999", "0", "2023.5", "1899", "2101", "2023 year 2024", "99999999999999999999"]))
    return f'report "示例" year {year} unit 万元\npart "p" {{ para "{{year}}" }}\n'


@settings(max_examples=max(EXAMPLES // 20, 40), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pathological())
def pathological_reports_end_in_diagnostics_or_outputs(text):
    check_case(text)


def test_pathological_reports_end_in_diagnostics_or_outputs():
    tried = counted("pathological", pathological_reports_end_in_diagnostics_or_outputs)
    assert tried["cases"] >= min(EXAMPLES // 20, 40) and tried["clean"] > 0


def counted(kind: str, run) -> dict:
    """Run a fuzz test and print what it tried; counted inside the one test, so that the count holds
    when pytest-xdist runs the tests in several processes."""
    before = dict(COUNTER)
    run()
    tried = {key: COUNTER[key] - before[key] for key in COUNTER}
    print(f"\nfuzz, {kind}: {tried['cases']} cases tried, {tried['clean']} of them compiled without errors and were "
          f"rendered to {', '.join(RENDERED)}, {tried['pdf']} of them to PDF too")
    return tried


REGRESSIONS = [
    # keep any input that once crashed the compiler here
    'report "x" year 2023 unit 万元\npart "p" { para "{for x in t.leaves if x.a == 0}{x.name}{end}" }',
]


@pytest.mark.parametrize("text", REGRESSIONS)
def test_regressions(text):
    check_case(text)
