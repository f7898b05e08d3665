"""Each check: the code, and the line and column it points at."""

from helpers import codes, compile_snippet, diagnose


def test_interval_rule_accepts_a_rounded_total():
    # a stated 296.5 against items adding to 296.51 is consistent.
    body = "items t (预算) { 1 \"a\" (169.84) 2 \"b\" (126.67) }\ncheck t.预算 == 296.5 \"年初预算合计\""
    assert codes(body) == []


def test_interval_rule_rejects_different_rates():
    assert diagnose('check 71.73% == 71.65% "比率"') == [("RD302", 2, 1)]


def test_a_stated_parent_must_equal_the_sum_of_its_children():
    # codes outside the standard classification: these short names would be RD112 under 208
    ok = 'items t (决算) { 808 "社保" (24.99) { 80801 "a" (6.38) 80802 "b" (18.61) } }'
    bad = 'items t (决算) { 808 "社保" (25.99) { 80801 "a" (6.38) 80802 "b" (18.61) } }'
    assert codes(ok) == [] and diagnose(bad) == [("RD301", 2, 16)]


def test_undefined_name_with_suggestion():
    result = compile_snippet("fact 收入合计 = 1\nlet x = 收入合记")
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("RD101", 3, 9)]
    assert "收入合计" in result.diagnostics[0].help[0]


def test_undefined_period_names_the_defined_ones():
    result = compile_snippet("fact t = 1\nlet x = t@上年")
    assert result.diagnostics[0].code == "RD101" and "本年" in result.diagnostics[0].help[0]


def test_all_semantic_errors_are_collected_and_sorted():
    found = diagnose("let a = 未知1\nlet b = 未知2 + 1\nfact c = 1\nfact c = 2")
    assert found == [("RD101", 2, 9), ("RD101", 3, 9), ("RD102", 5, 6)]


def test_duplicate_and_builtin_names():
    assert diagnose("fact year = 1") == [("RD102", 2, 6)]
    assert diagnose("items t (a) {}\nfact t = 1") == [("RD102", 3, 6)]


def test_cycle_is_reported_once_with_its_path():
    result = compile_snippet("let a = b\nlet b = c\nlet c = a")
    assert [d.code for d in result.diagnostics] == ["RD103"]
    assert "a -> b -> c -> a" in result.diagnostics[0].help[0]


def test_unknown_attribute_and_key_and_tree_shape():
    tree = 'items t (预算, 决算) { 806 "科" { 80601 "管" (1, 2) } }\n'  # codes outside the standard list
    assert diagnose(tree + "let x = t.决标") == [("RD104", 3, 9)]
    assert diagnose(tree + "let x = t[80602].决算") == [("RD105", 3, 9)]
    assert diagnose('items t (a) { 806 "科" { 80705 "养" (1) } }') == [("RD109", 2, 25)]
    assert diagnose('items t (a, b) { 806 "科" (1) }') == [("RD110", 2, 18)]
    assert diagnose('items t (a) { 806 "科" (1) 806 "科" (1) }') == [("RD108", 2, 27)]


def test_units_cannot_be_mixed():
    assert diagnose("fact a = 1\nfact n = 2 人\nlet x = a + n") == [("RD106", 4, 13)]
    assert diagnose("fact a = 1\nfact n = 2 人\ncheck a > n \"x\"") == [("RD106", 4, 11)]


def test_functions_are_checked():
    assert diagnose("let x = chnage(1, 2)") == [("RD107", 2, 9)]
    assert diagnose("let x = abs(1, 2)") == [("RD107", 2, 9)]


def test_zero_base_in_a_sentence_cell_chart_and_check():
    defs = "fact a = 1\nfact b = 0\n"
    assert diagnose(defs + 'part "p" { para "完成 {a / b}" }') == [("RD201", 4, 21)]
    assert codes(defs + 'part "p" { table t "表" { columns ("a") row (a / b) } }') == ["RD201"]
    assert codes(defs + 'part "p" { chart bar c "图" { "x": a / b } }') == ["RD201"]
    assert codes(defs + 'check a / b > 0 "x"') == ["RD201"]


def test_guarded_zero_base_is_fine():
    assert codes('fact a = 1\nfact b = 0\npart "p" { para "{if b != 0}完成 {a / b}{end}" }') == []


def test_declared_checks_and_severity():
    assert diagnose('fact a = 1\ncheck a == 2 "相等"') == [("RD302", 3, 1)]
    assert diagnose('fact a = 1\ncheck a > 2 "大于"') == [("RD303", 3, 1)]
    result = compile_snippet('fact a = 1\ncheck a == 2 warning "相等"')
    assert result.diagnostics[0].severity.value == "warning" and not result.has_errors


def test_failed_equality_help_gives_both_values_the_difference_and_the_rule():
    result = compile_snippet('fact a = 110.59\nfact b = 24.04\nfact p = 120.00\ncheck a + b == p "项目"')
    values, rule = result.diagnostics[0].help[:2]
    assert values == "a + b = 134.63 万元; p = 120.00 万元"
    assert rule.startswith("rule: exact") and "difference 14.63 万元" in rule
    assert "tolerance" not in " ".join(result.diagnostics[0].help)


def test_wrong_base_change_rate():
    result = compile_snippet("fact t = 376.72\nfact t@上年 = 447.20\ncheck abs(change(t, t@上年)) == 18.7% \"x\"")
    assert [d.code for d in result.diagnostics] == ["RD304"]
    assert any("15.76%" in line for line in result.diagnostics[0].help)


def test_subset_larger_than_whole():
    assert diagnose("fact 中小 = 0\nfact 小微 = 77.3 within 中小") == [("RD305", 3, 1)]
    assert codes("fact 中小 = 77.3\nfact 小微 = 77.3 within 中小") == []


def test_a_part_larger_than_what_the_rows_of_its_printed_whole_add_up_to_is_found():
    tree = 'items 经济 "基本支出" (决算) {\n  302 "商品和服务支出" (10.23) {\n    30201 "办公费" (3.78)\n' \
           '    30299 "其他商品和服务支出" (6.44)\n  }\n}\nlet 公用经费 = 经济[302].决算\n'
    result = compile_snippet(tree + "fact 机关运行经费 = 10.23 within 公用经费")
    assert sorted(d.code for d in result.diagnostics) == ["RD301", "RD305"]
    (part,) = [d for d in result.diagnostics if d.code == "RD305"]
    assert "(10.22 万元 as its rows add up)" in part.message
    assert codes(tree + "fact 机关运行经费 = 10.22 within 公用经费") == ["RD301"]


def test_boundary_rounding():
    defs = "fact a = 376.72\nfact b = 376.99\n"
    assert diagnose(defs + 'part "p" { para "执行率 {a / b:%.0}" }') == [("RD306", 4, 22)]
    assert codes(defs + 'part "p" { para "执行率 {a / b:%.2}" }') == []
    assert codes('fact a = 1\nfact b = 1\npart "p" { para "{a / b:%.0}" }') == []


def test_unfilled_placeholder_and_empty_text():
    assert diagnose('fact n = ? 辆\npart "p" { para "保有量 {n} 辆 {n} 辆" }') == [("RD401", 2, 1)]  # once, where typed
    [unfilled] = compile_snippet('fact n = ? 辆\npart "p" { para "保有量 {n} 辆" }').diagnostics
    assert [(span.line, span.column, note) for span, note in unfilled.related] == [(3, 22, "it would leave a blank here")]
    assert codes('fact s = ""\npart "p" { para "原因是{s}" }') == ["RD401"]
    assert codes('items t (a) { 1 "x" (-) }\npart "p" { para "{t[1].a}" }') == ["RD401"]
    assert diagnose("fact n = ?") == [("RD401", 2, 1)]  # not published anywhere: reported where it is declared


def test_direction_word_before_zero():
    defs = "fact a = 0\nfact b = 0\n"
    assert diagnose(defs + 'part "p" { para "比全年预算增加 {a - b} 万元" }') == [("RD402", 4, 26)]
    assert codes(defs + 'part "p" { para "比全年预算{a - b:增减} {abs(a - b)} 万元" }') == ["RD402"]
    assert codes(defs + 'part "p" { para "{if a != b}比全年预算{a - b:增减}{else}与全年预算持平{end}" }') == []


def test_comparisons_inside_and_or_not_follow_the_rule_of_their_check():
    defs = "fact a = 1.00\nfact b = 1.004\nfact c = 1.00\n"
    assert codes(defs + 'check a == b and c == 1.00 "x"') == ["RD303"]
    assert codes(defs + 'check a == b and c == 1.00 interval "x"') == []
    assert codes(defs + 'check not (a != b) interval "x"') == []
    assert codes(defs + 'check a == 2.00 or c == 2.00 interval "x"') == ["RD303"]


def test_a_purpose_copied_from_the_item_it_names_is_found_at_the_item_that_copied_it():
    items = 'items gpb "支出" (决算) {{\n  2101102 "事业单位医疗" (0.49) note "{0}"\n' \
            '  2210201 "住房公积金" (17.70) note "{1}"\n}}\n'
    assert diagnose(items.format("事业单位医疗保险支出", "事业单位医疗保险支出")) == [("RD547", 4, 3)]
    assert codes(items.format("事业单位医疗保险支出", "按规定缴存的住房公积金")) == []
    assert codes(items.format("单位职工的社会保障支出", "单位职工的社会保障支出")) == []  # fits both alike


def test_a_purpose_still_to_write_is_no_purpose_copied():
    items = 'items gpb "支出" (决算) {\n  2101102 "事业单位医疗" (0.49) note ?\n  2210201 "住房公积金" (17.70) note ?\n}\n'
    assert codes(items) == ["RD401", "RD401"]  # each still to write; no RD547, no RD000
