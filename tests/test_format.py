"""`reportdsl fmt`: one canonical layout, idempotent and lossless (property tests over generated
reports), comments kept, and every .rpt in the repository already formatted."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportdsl.cli import main
from reportdsl.fmt_command import formatted
from reportdsl.parser import parse
from reportdsl.source import SourceFile

ROOT = Path(__file__).resolve().parents[1]
# editors/ holds the highlighting grammar's fixtures, written to show tokens, not in fmt's layout
REPOSITORY_REPORTS = sorted(p for p in ROOT.rglob("*.rpt") if not {".git", "editors"} & set(p.parts))

NAMES = st.sampled_from(["收入", "支出", "总计", "基本支出", "a", "b_2", "项目甲"])
PERIODS = st.sampled_from(["", "@上年", "@年初预算", "@2022"])
SPACE = st.sampled_from([" ", "  ", "\n  ", " \n\n    "])


def numbers():
    return st.builds(lambda whole, frac, unit: f"{whole}{frac}{unit}",
                     st.integers(0, 99999).map(str), st.sampled_from(["", ".5", ".50", ".07", ".123"]),
                     st.sampled_from(["", "", " 万元", " 人", " 辆"]))


def atoms():
    return st.one_of(numbers(), st.builds(lambda n, p: n + p, NAMES, PERIODS),
                     st.sampled_from(["18.7%", "100%", "gpb.决算", "gpb[206].年初预算", "'—'", "year"]))


def expressions():
    return st.recursive(
        atoms(),
        lambda inner: st.one_of(
            st.builds(lambda a, op, b: f"{a} {op} {b}", inner, st.sampled_from(["+", "-", "*", "/"]), inner),
            st.builds(lambda a: f"({a})", inner),
            st.builds(lambda a: f"-{a}", inner),
            st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["change", "share", "max"]), inner, inner),
            st.builds(lambda a: f"abs({a})", inner),
            st.builds(lambda a, b: f"{a} ?? {b}", inner, inner),
        ),
        max_leaves=6,
    )


def comment():
    return st.sampled_from(["", "", "  # 说明", "   # published: 18.7%"])


def template():
    return st.lists(st.one_of(st.sampled_from(["年度收、支总计均为 ", "万元，", "\n          ", "下降 "]),
                              st.builds(lambda e, f: "{" + e + f + "}", st.sampled_from(["总计", "abs(变动)", "year - 1"]),
                                        st.sampled_from(["", ":%.1", ":增减", ":.2"])),
                              st.just("{if 变动 != 0}减少{else}持平{end}"),
                              st.just("{总计 + 1 # 一个写在花括号里的注释\n}")), min_size=1, max_size=6
                    ).map(lambda parts: '"' + "".join(parts) + '"')


def statements():
    fact = st.builds(lambda n, p, sp, v, c: f"fact {n}{p}{sp}={sp}{v}{c}", NAMES, PERIODS, SPACE, numbers(), comment())
    let = st.builds(lambda n, e, f, c: f"let {n} = {e}{f}{c}", NAMES, expressions(), st.sampled_from(["", " as %.1", " as .2"]), comment())
    check = st.builds(lambda e, s: f'check {e} == 0{s} "消息"', expressions(), st.sampled_from(["", " warning"]))
    items = st.builds(lambda a, b: 'items gpb "支出" (年初预算, 决算) {\n 206 "科学技术支出" {\n'
                      f'   2060101 "行政运行" ({a}, -) reason "新增人员"\n 2060102 "一般行政管理事务" (87.50,{b})\n }}\n}}',
                      numbers(), numbers())
    para = st.builds(lambda t: f'part "p" {{ section "s" {{ list {{ para {t} }} }} }}', template())
    table = st.just('part "表" { table t "支出表" { columns ("项目", "本年" ["合计", "基本"]) row ("合计", 总计, -) '
                    'rows x in gpb.leaves ("{x.code}", x.决算 : .2, -) note "注：" } }')
    narrative = st.builds(lambda n, t: f"let {n} = {t}", NAMES, template())
    check = st.builds(lambda e, r, s: f'check {e} == 0{r}{s} "消息"', expressions(),
                      st.sampled_from(["", " interval", " exact"]), st.sampled_from(["", " warning"]))
    stated = st.builds(lambda head, entries: f"stated{head} {{\n" + "\n".join(entries) + "\n}", stated_heads(),
                       st.lists(stated_entries(), max_size=4))
    classification = st.builds(lambda codes: "classification {\n" + "\n".join(codes) + "\n}",
                               st.lists(st.sampled_from(['2013999 "其他社会工作事务支出"', '201 "一般公共服务支出"',
                                                         '30201  "办公费"  # 本地']), max_size=3))
    return st.one_of(fact, let, check, items, para, table, narrative, stated, classification)


def stated_heads():
    return st.builds(lambda page, place, rule, severity: page + place + rule + severity,
                     st.sampled_from(["", " page 7", " page  12"]),
                     st.sampled_from(["", ' table "表五 一般公共预算财政拨款支出决算表"', ' section "说明"']),
                     st.sampled_from(["", " interval"]), st.sampled_from(["", " warning"]))


def stated_entries():
    literal = st.one_of(numbers(), st.sampled_from(["15.8%", "-3.50", "-1.5%", "-", '"甲、乙"', '"引号\\"内"']))
    places = st.lists(st.sampled_from(['row "208 社会保障和就业支出"', 'column "决算数"', 'sentence "…下降 15.8%。"']),
                      max_size=3, unique=True)
    # an entry starts with a name: after a blank `-`, an entry starting with a number would read as `-5`
    return st.builds(lambda n, e, sp, lit, where, c: f"  {n} * ({e}){sp}={sp}{lit} {' '.join(where)}{c}",
                     NAMES, expressions(), SPACE, literal, places, comment())


def reports():
    return st.builds(lambda body, lead: f'{lead}report "示例" year 2023 unit 万元\n' + "\n".join(body) + "\n",
                     st.lists(statements(), max_size=8), st.sampled_from(["", "# 标题\n\n"]))


def fmt_text(text: str) -> str:
    return formatted(SourceFile("t.rpt", text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_formatting_is_lossless_and_idempotent(text):
    once = fmt_text(text)
    assert parse(SourceFile("a", once)) == parse(SourceFile("b", text))
    assert fmt_text(once) == once
    assert once.count("#") == text.count("#")


@pytest.mark.parametrize("path", REPOSITORY_REPORTS, ids=[str(p.relative_to(ROOT)) for p in REPOSITORY_REPORTS])
def test_every_report_in_the_repository_is_formatted(path):
    text = path.read_text(encoding="utf-8")
    assert fmt_text(text) == text, f"run: reportdsl fmt {path.relative_to(ROOT)}"


def test_canonical_layout():
    messy = ('report   "示例"  year 2023 unit 万元\n\n\n'
             'fact 收入=10 # 说明\nfact 基本支出   =   2.50\n'
             'items t (预算,决算) { 206 "科学" { 2060101 "运行" (1.5,-)\n 2060102 "一般行政管理事务" (87.50,120.00) } }\n'
             'part "p" {section "s"{para "甲\n   乙"}}\n')
    assert fmt_text(messy) == (
        'report "示例" year 2023 unit 万元\n\n'
        'fact 收入     = 10  # 说明\n'
        'fact 基本支出 = 2.50\n'
        'items t (预算, 决算) {\n'
        '  206 "科学" {\n'
        '    2060101 "运行"             (  1.5,      -)\n'
        '    2060102 "一般行政管理事务" (87.50, 120.00)\n'
        '  }\n'
        '}\n'
        'part "p" {\n'
        '  section "s" {\n'
        '    para "甲\n'
        '          乙"\n'
        '  }\n'
        '}\n')


def test_a_narrative_text_wrapped_by_hand_keeps_its_line_breaks():
    text = ('report "示例" year 2023 unit 万元\n'
            'fact 变动 = 1\n'
            'let 说明 = "与上年相比，收、支总计{变动:增减}，\n    主要原因是本年开展项目减少。"\n'
            'fact 备注 = "第一行，\n  第二行。"\n')
    assert fmt_text(text) == ('report "示例" year 2023 unit 万元\n'
                              'fact 变动 = 1\n'
                              'let 说明  = "与上年相比，收、支总计{变动:增减}，\n'
                              '             主要原因是本年开展项目减少。"\n'
                              'fact 备注 = "第一行，\n'
                              '             第二行。"\n')


def test_a_text_block_keeps_one_blank_line_between_its_paragraphs():
    text = 'report "示例"\npart "p" {\n  text """\n    甲。\n\n    乙。\n  """\n}\n'
    assert fmt_text(text) == text


def test_check_prints_a_diff_and_fails_on_a_misindented_copy(tmp_path):
    report = ROOT / "reports" / "hongshan_2023.rpt"
    copy = tmp_path / "copy.rpt"
    copy.write_text(report.read_text(encoding="utf-8").replace("\n  ", "\n   ", 5), encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", "--check", str(copy)])
    assert result.exit_code == 1 and result.output.startswith(f"--- {copy}")
    assert CliRunner().invoke(main, ["fmt", str(copy)]).exit_code == 0
    assert copy.read_text(encoding="utf-8") == report.read_text(encoding="utf-8")


def test_a_file_that_does_not_parse_is_left_untouched(tmp_path):
    bad = tmp_path / "bad.rpt"
    bad.write_text('report "x"\nfact a = = 1\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(bad)])
    assert result.exit_code == 1 and "RD001" in result.output
    assert bad.read_text(encoding="utf-8") == 'report "x"\nfact a = = 1\n'
    assert not list(tmp_path.glob(".*.tmp"))


def test_standard_input_to_standard_output():
    result = CliRunner().invoke(main, ["fmt", "-"], input='report "x"\nfact   a=1\n')
    assert result.output == 'report "x"\nfact a = 1\n'


def test_text_values_are_left_as_they_are_and_numbers_right_aligned():
    text = ('report "x"\nitems t (内容, 金额) {\n  a "甲" ("短", 1.5)\n  b "乙" ("一段很长的文字", 120.00)\n}\n')
    assert fmt_text(text) == ('report "x"\nitems t (内容, 金额) {\n  a "甲" ("短",                1.5)\n'
                              '  b "乙" ("一段很长的文字", 120.00)\n}\n')


def test_a_long_list_wraps_under_its_parenthesis():
    cells = ", ".join(f'"第{i}列的标题"' for i in range(12))
    out = fmt_text(f'report "x"\npart "p" {{ table t "表" {{ columns ({cells}) }} }}\n')
    lines = out.splitlines()
    table_lines = [line for line in lines if "列的标题" in line]
    assert len(table_lines) > 1 and table_lines[0].startswith('    columns ("第0列的标题"')
    assert all(line.startswith(" " * 13 + '"') for line in table_lines[1:])


def test_a_row_list_after_a_long_filter_goes_on_the_lines_under_it():
    filter_ = " and ".join(f"x.第{i}列 != 0" for i in range(5))
    cells = ", ".join(f"x.第{i}列" for i in range(12))
    out = fmt_text(f'report "x"\npart "p" {{ table t "表" {{ rows x in gpb.nodes if ({filter_}) ({cells}) }} }}\n')
    rows = out[out.index("rows"):].splitlines()
    assert rows[0].endswith(f"if ({filter_})") and rows[1].startswith(" " * 8 + "(x.第0列, ")
    assert fmt_text(out) == out
