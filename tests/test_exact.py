"""Exact figures (issue 10): typed amounts are exact, printed figures agree with what rounds to them,
the interval rule is an opt-in, and a failed comparison says which rule it applied."""

from __future__ import annotations

import pytest

from helpers import codes, compile_snippet

INTERVAL = 'report "示例单位" year 2023 unit 万元 rounding interval\n'


# ---- 1. typed amounts are exact -------------------------------------------------------------------


def test_two_typed_copies_of_one_figure_one_cent_apart_disagree():
    assert codes('fact 表三208 = 58.14\nfact 表五208 = 58.15\ncheck 表三208 == 表五208 "同一类两表一致"') == ["RD302"]


def test_a_typed_parent_one_cent_away_from_its_children_is_rd301():
    tree = ('items gpb (决算) {\n  208 "社会保障和就业支出" (812.40) {\n'
            '    20805 "行政事业单位养老支出" (800.20)\n    20808 "抚恤" (12.21)\n  }\n}')
    assert codes(tree) == ["RD301"]


def test_a_derived_total_one_cent_away_from_the_published_total_is_an_error():
    tree = 'items gpb (决算) {\n  201 "一般公共服务支出" (1000.00)\n  208 "社会保障和就业支出" (520.31)\n}\n'
    assert codes(tree + 'check gpb.决算 == 1520.30 "表五合计 1,520.30"') == ["RD302"]
    assert codes(tree + 'check gpb.决算 == 1520.31 "表五合计 1,520.31"') == []


def test_procurement_parts_must_add_to_the_stated_total_to_the_cent():
    body = 'fact 货物 = 3.20\nfact 工程 = 0\nfact 服务 = 97.15\ncheck 货物 + 工程 + 服务 == 100.34 "采购总额"'
    assert codes(body) == ["RD302"]


def test_sixteen_typed_items_no_longer_hide_a_gap_in_their_rounding():
    items = "\n".join(f'  {k} "款{i}" (1.00)' for i, k in enumerate(range(80101, 80117)))  # no standard codes
    assert codes(f'items t (决算) {{\n  801 "类" (16.08) {{\n{items}\n  }}\n}}') == ["RD301"]


# ---- 2. a printed figure is a rounded statement -----------------------------------------------------


def test_an_amount_printed_with_fewer_decimals_agrees_with_what_rounds_to_it():
    items = 'items gpb (年初预算) {\n  206 "科学技术支出" (169.84)\n  208 "社会保障和就业支出" (126.67)\n}\n'
    assert codes(items + 'check gpb.年初预算 == 296.5 "叙述：年初预算 296.5 万元"') == []
    assert codes(items + 'check gpb.年初预算 == 296.6 "叙述：年初预算 296.6 万元"') == ["RD302"]
    assert codes(items + 'check gpb.年初预算 == 297 "叙述：年初预算 297 万元"') == []
    assert codes(items + 'check gpb.年初预算 == 296.50 "表：296.50"') == ["RD302"]  # two decimals: exact


def test_a_percentage_on_the_wrong_base_is_still_rd304():
    body = 'fact t = 376.72\nfact t@上年 = 447.20\ncheck abs(change(t, t@上年)) == 18.7% "下降 18.7%"'
    assert codes(body) == ["RD304"]


def test_a_percentage_agrees_only_with_what_rounds_half_up_to_it():
    defs = "fact a = 64.05\nfact b = 100.00\nfact c = 88.865\nfact d = 100\n"
    assert codes(defs + 'check share(a, b) == 64.12% "占 64.12%"') == ["RD302"]
    assert codes(defs + 'check share(a, b) == 64.05% "占 64.05%"') == []
    assert codes(defs + 'check share(a, b) == 64.1% "占 64.1%"') == []
    assert codes(defs + 'check share(c, d) == 88.86% "占 88.86%"') == ["RD302"]  # 88.865% rounds to 88.87%
    assert codes(defs + 'check share(c, d) == 88.87% "占 88.87%"') == []


def test_printed_percentages_added_carry_their_rounding():
    four = "25.01% + 25.02% + 25.01% + 25.02%"  # 100.06%
    assert codes(f'check {four} == 100.00% "四项占比之和"') == ["RD302"]
    assert codes('check 25.01% + 25.00% + 25.00% + 25.01% == 100.00% "四项占比之和"') == []  # 100.02%: rounding


def test_the_rounding_of_added_percentages_is_said_in_the_help():
    result = compile_snippet('check 25.01% + 25.02% + 25.01% + 25.02% == 100.00% "四项占比之和"')
    rule = result.diagnostics[0].help[1]
    assert rule.startswith("rule: interval") and "±0.025 percentage points" in rule
    assert "difference 0.06 percentage points" in rule


def test_one_hundred_percent_and_one_hundred_point_zero_zero_percent_differ():
    defs = "fact a = 99.6\nfact b = 100\n"
    assert codes(defs + 'check share(a, b) == 100% "100%"') == []
    assert codes(defs + 'check share(a, b) == 100.00% "100.00%"') == ["RD302"]


def test_zero_and_counts_in_a_check_are_exact():
    assert codes('fact a = 0.3\ncheck a == 0 "没有支出"') == ["RD302"]
    assert codes('fact n = 3 人\ncheck n == 3 人 "三人"') == []


# ---- 3. the interval rule, asked for ---------------------------------------------------------------


def test_the_interval_rule_is_an_opt_in_for_the_report():
    body = 'fact 表三208 = 58.14\nfact 表五208 = 58.15\ncheck 表三208 == 表五208 "两表"'
    assert not compile_snippet(body, INTERVAL).diagnostics
    assert [d.code for d in compile_snippet(body).diagnostics] == ["RD302"]


def test_the_interval_rule_is_an_opt_in_for_one_check_and_says_so():
    result = compile_snippet('fact a = 58.14\nfact b = 58.16\ncheck a == b interval "两表"')
    assert [d.code for d in result.diagnostics] == ["RD302"]
    assert "asked for" in result.diagnostics[0].help[1] and "±0.01 万元" in result.diagnostics[0].help[1]
    assert not compile_snippet('fact a = 58.14\nfact b = 58.15\ncheck a == b interval "两表"').diagnostics


def test_a_check_can_ask_for_the_exact_rule_in_an_interval_report():
    body = 'fact a = 58.14\nfact b = 58.15\ncheck a == b exact "两表"'
    assert [d.code for d in compile_snippet(body, INTERVAL).diagnostics] == ["RD302"]


def test_the_interval_rule_parent_sums_when_asked():
    tree = ('items gpb (决算) {\n  208 "社会保障和就业支出" (812.40) {\n'
            '    20805 "行政事业单位养老支出" (800.20)\n    20808 "抚恤" (12.21)\n  }\n}')
    assert not compile_snippet(tree, INTERVAL).diagnostics


# ---- 4. what a failed comparison says ----------------------------------------------------------------


def test_a_failed_comparison_gives_both_values_as_typed_and_the_exact_rule():
    result = compile_snippet('fact a = 58.14\nfact b = 58.15\ncheck a == b "两表"')
    assert result.diagnostics[0].help == ("a = 58.14 万元; b = 58.15 万元",
                                          "rule: exact (typed figures and what is derived from them are exact); "
                                          "difference -0.01 万元")


def test_a_failed_rounded_statement_says_what_the_exact_value_rounds_to():
    result = compile_snippet('fact c = 88.865\nfact d = 100\ncheck share(c, d) == 88.86% "占 88.86%"')
    values, rule = result.diagnostics[0].help
    assert values == "share(c, d) = 88.865%; 88.86% as printed"
    assert rule == "rule: rounds to (88.86% is printed with 2 decimals; 88.865% rounds half-up to 88.87%, not 88.86%)"


def test_no_message_reads_like_a_pass_or_prints_none():
    result = compile_snippet('fact a = 110.59\nfact b = 24.04\ncheck a + b == 120 "项目"\nlet r = 1 / a\n'
                             'check r == 2 "x"')
    text = " ".join(" ".join((d.message, *d.help)) for d in result.diagnostics)
    assert "tolerance" not in text and "None" not in text


def test_a_failed_text_comparison_prints_both_texts():
    result = compile_snippet('fact 名单 = "甲、乙"\nstated section "说明" {\n  名单 = "甲、丙"\n}')
    assert "'甲、丙'" in result.diagnostics[0].message and "'甲、乙'" in result.diagnostics[0].message


@pytest.mark.parametrize("body, column", [
    ('fact a = 1\nfact n = 2 人\nlet x = a + n', 13),
    ('fact a = 1\nfact n = 2 人\nlet x = n + a', 9),
    ('fact a = 1\nlet x = a + "文字"', 13),
    ('fact a = 1\nlet x = "文字" * a', 9),
])
def test_a_type_or_unit_error_points_at_the_operand_it_objects_to(body, column):
    result = compile_snippet(body)
    assert [(d.code, d.span.column) for d in result.diagnostics] == [("RD106", column)]


# ---- 5. template leftovers --------------------------------------------------------------------------


@pytest.mark.parametrize("text, leftover", [
    ("收入增加（减少）{a} 万元", "增加（减少）"),
    ("收入（减少）增加 {a} 万元", "（减少）增加"),
    ("支出上升（下降）{a}", "上升（下降）"),
    ("支出增（减）{a}", "增（减）"),
    ("完成率为 XX%", "XX"),
    ("完成率为 ××%", "××"),
    ("完成率为 X.X%", "X.X"),
    ("支出决算为 万元", "为 万元"),
    ("支出 {a} 万元万元", "万元万元"),
])
def test_a_template_leftover_in_a_sentence_is_rd403_at_the_leftover(text, leftover):
    result = compile_snippet(f'fact a = 3.00\npart "p" {{ para "{text}" }}')
    assert [d.code for d in result.diagnostics] == ["RD403"]
    diagnostic = result.diagnostics[0]
    assert f"'{leftover}'" in diagnostic.message
    line = result.source.line_text(diagnostic.span.line)
    assert line[diagnostic.span.column - 1:].startswith(leftover)


def test_template_leftovers_are_found_in_texts_reasons_and_stated_sentences():
    body = ('fact 说明 = "本年增加（减少）"\nitems t (a) {\n  x "x" (1.00) reason "人员增（减）"\n}\n'
            'stated page 2 section "说明" warning {\n  说明 = "本年增加（减少）"  sentence "支出决算为 万元"\n}')
    found = [(d.code, d.span.line, d.is_error) for d in compile_snippet(body).diagnostics]
    assert found == [("RD403", 2, True), ("RD403", 4, True), ("RD403", 7, False), ("RD403", 7, False)]


def test_ordinary_text_is_no_template_leftover():
    text = "单位：万元。其中个人 {a} 人，比上年{a:增减} {a} 万元（增长主要是人员增加）。XBRL 与 Excel 文件。"
    assert codes(f'fact a = 3.00\npart "p" {{ para "{text}" }}') == []


def test_a_failed_ordering_against_a_printed_figure_says_what_does_not_hold():
    result = compile_snippet('fact a = 95.004\nfact b = 100\ncheck share(a, b) < 95% "完成率低于 95%"')
    values, rule = result.diagnostics[0].help
    assert rule == ("rule: rounds to (95% is printed with 0 decimals; 95.004% rounds half-up to 95%, "
                    "and 95% < 95% does not hold)")
