"""Evaluation: Decimal arithmetic, names and periods, trees, functions, formats and numbering."""

from decimal import Decimal

import pytest

from reportdsl.compiler import compile_text
from helpers import HEADER, codes, compile_snippet, paragraphs, say


def value(body: str, name: str):
    result = compile_snippet(body)
    assert not result.has_errors, [d.message for d in result.diagnostics]
    return result.evaluator.value_of((name, None))


def test_decimal_arithmetic_has_no_binary_float_error():
    assert value("let x = 0.1 + 0.2", "x").value == Decimal("0.3")
    assert value("fact a = 376.72\nfact b = 70.48\nlet x = a + b", "x").value == Decimal("447.20")


def test_order_of_declaration_does_not_matter():
    assert value("let c = b * 2\nlet b = a + 1\nfact a = 1", "c").value == Decimal(4)


def test_facts_take_the_report_unit_and_counts_keep_theirs():
    assert value("fact a = 5", "a").unit == "万元"
    assert value("fact a = 5 人", "a").unit == "人"


def test_periods_and_year_aliases():
    body = "fact t = 376.72\nfact t@上年 = 447.20\nlet d = t - t@2022\nlet same = t@2023 - t@本年"
    assert value(body, "d").value == Decimal("-70.48")
    assert value(body, "same").value == 0


def test_change_rate_is_over_the_prior_year_and_rounds_half_up_on_display():
    defs = "fact t = 376.72\nfact t@上年 = 447.20\nlet r = change(t, t@上年)"
    assert say("{abs(r)}", defs) == "15.8%"
    assert say("{r:%.3}", defs) == "-15.760%"
    assert say("{r:升降}", defs) == "下降"


def test_half_up_not_bankers_rounding():
    assert say("{x:.1}", "fact x = 0.25") == "0.3"
    assert say("{x:.1}", "fact x = 0.35") == "0.4"
    assert say("{x:%.1}", "let x = 1 / 8") == "12.5%"
    assert say("{x:%.0}", "let x = 125 / 1000") == "13%"


@pytest.mark.parametrize("fmt,shown", [(".2", "120.00"), ("g", "120"), (".0", "120")])
def test_formats(fmt, shown):
    assert say("{x:" + fmt + "}", "fact x = 120.00") == shown


@pytest.mark.parametrize("x,words", [("5", "增加 增长 大于"), ("-5", "减少 下降 小于"), ("0", "持平 持平 等于")])
def test_direction_words_follow_the_sign(x, words):
    assert say("{d:增减} {d:升降} {d:大小}", f"fact d = {x}") == words


def test_default_formats_by_kind():
    assert say("{a} {n} {r} {year}", "fact a = 77.3\nfact b = 154.6\nfact n = 6 人\nlet r = a / b") == "77.30 6 50.0% 2023"


TREE = """
items gpb (年初预算, 决算) {
  206 "科学技术支出" {
    20601 "科学技术管理事务" {
      2060101 "行政运行"         (169.84, 194.11) reason "新增人员"
      2060102 "一般行政管理事务" (87.50, 120.00)
    }
  }
  208 "社会保障和就业支出" {
    20805 "行政事业单位养老支出" {
      2080501 "行政单位离退休"  (0.00, 6.38)
    }
  }
}
"""


def test_parents_are_the_sum_of_their_children():
    assert value(TREE + "let t = gpb.决算", "t").value == Decimal("320.49")
    assert value(TREE + "let t = gpb[20601].年初预算", "t").value == Decimal("257.34")


def test_node_fields():
    text = say("{for x in gpb.leaves sep '|'}{x.code} {x.level} {x.index} {x.path}{end}", TREE)
    assert text.split("|")[0] == "2060101 项 1 科学技术支出（类）科学技术管理事务（款）行政运行（项）"
    assert say("{gpb[2060101].reason}", TREE) == "新增人员"


def test_children_leaves_and_nodes_of_a_tree_and_of_an_item_list_what_they_name():
    def names(listing: str) -> str:
        return say("{for x in " + listing + " sep '|'}{x.code}{end}", TREE)

    assert names("gpb.children") == "206|208"
    assert names("gpb.leaves") == "2060101|2060102|2080501"
    assert names("gpb.nodes") == "206|20601|2060101|2060102|208|20805|2080501"
    assert names("gpb[206].children") == "20601" and names("gpb[206].nodes") == "20601|2060101|2060102"
    assert names("gpb[206].leaves") == "2060101|2060102" and names("gpb[2060101].leaves") == "2060101"
    assert say("{gpb[2060101].name} {gpb[2060101].key} {gpb[206].code}", TREE) == "行政运行 2060101 206"


def test_comprehension_with_filter():
    assert value(TREE + "let n = count(x for x in gpb.leaves if x.年初预算 > 0)", "n").value == 2
    assert value(TREE + "let s = sum(x.决算 for x in gpb.leaves if x.年初预算 == 0)", "s").value == Decimal("6.38")


def test_loops_conditions_and_list_numbering():
    body = TREE + """part "p" { list { for x in gpb.leaves {
      para "{x.name}{if x.年初预算 != 0}，完成 {x.决算 / x.年初预算:%.2}{end}。" } } }"""
    assert paragraphs(body) == ["1.行政运行，完成 114.29%。", "2.一般行政管理事务，完成 137.14%。", "3.行政单位离退休。"]


def test_heading_numbering_from_position():
    result = compile_snippet('part "甲" { section "a" { section "b" {} section "c" { section "d" {} } } section "e" {} }\n'
                             'part "乙" { section plain "附件" {} section "f" {} }')
    headings = [b.text for b in result.document.blocks]
    assert headings == ["第一部分 甲", "一、a", "（一）b", "（二）c", "1.d", "二、e", "第二部分 乙", "附件", "一、f"]


def test_coalesce_prints_a_dash_over_a_zero_base():
    assert say("{rate(a, b) ?? '—'}", "fact a = 1\nfact b = 0") == "—"


def test_round_function_is_explicit_half_up():
    assert value("fact a = 2.345\nlet r = round(a, 2)", "r").value == Decimal("2.35")


def test_zero_base_is_only_an_error_where_published():
    assert codes("fact a = 1\nfact b = 0\nlet r = a / b") == []
    assert codes('fact a = 1\nfact b = 0\nlet r = a / b\npart "p" { para "{r}" }') == ["RD201"]


def test_table_rows_sides_and_empty_note():
    result = compile_snippet(TREE + '''part "p" {
      table t "表" { columns ("编码", "本年" ["预算", "决算"]) row ("合计", gpb.年初预算, gpb.决算)
                     rows x in gpb.children ("{x.code}", x.年初预算, x.决算:g) }
      table e "空" { columns ("项目", "决算数") row ("合计", 0) empty "说明：无数据。" }
      table s "两半" { columns ("收入", "决算", "支出", "决算") side { row ("a", gpb.决算) row ("b", gpb.决算) } side { row ("c", gpb[206].决算) } } }''')
    t, e, s = result.document.blocks[1:]
    assert [c.text for c in t.rows[1]] == ["206", "257.34", "314.11"]
    assert [c.text for c in t.rows[2]] == ["208", "0.00", "6.38"]
    assert t.header[0][1].colspan == 2 and t.header[0][0].rowspan == 2 and not t.empty
    assert e.empty and e.notes == ("说明：无数据。",)
    assert [[c.text for c in row] for row in s.rows] == [["a", "320.49", "c", "314.11"], ["b", "320.49", "", ""]]


def test_output_is_independent_of_hash_seed_and_stable():
    first = compile_text(HEADER + TREE + 'part "p" { para "{gpb.决算}" }').document
    second = compile_text(HEADER + TREE + 'part "p" { para "{gpb.决算}" }').document
    assert first == second


def test_let_format_is_the_default_display():
    defs = "fact t = 376.72\nfact t@上年 = 447.20\nlet r = change(t, t@上年) as %.2"
    assert say("{r} {abs(r)} {r:%.1}", defs) == "-15.76% 15.76% -15.8%"


@pytest.mark.parametrize("x,fmt,shown", [("1", "%g", "100%"), ("0.9993", "%g", "99.93%"), ("0.5", "%g", "50%"),
                                         ("3", "cn", "三"), ("14", "cn", "十四"), ("2.5", "cn", "2.5")])
def test_percent_g_and_chinese_numerals(x, fmt, shown):
    assert say("{x:" + fmt + "}", f"let x = {x}") == shown


def test_template_loop_with_filter():
    assert say("{for x in gpb.leaves if x.年初预算 == 0 sep '、'}{x.name}{end}", TREE) == "行政单位离退休"


def test_unnumbered_paragraph_in_a_list_and_a_list_starting_elsewhere():
    body = 'part "p" { list { para "甲" para plain "注" para "乙" } list "（5）" { para "丙" para "丁" } }'
    assert paragraphs(body) == ["1.甲", "注", "2.乙", "（5）丙", "（6）丁"]


def test_plain_section_is_no_level_of_numbering():
    result = compile_snippet('part "附件" { section plain "附件 1" { section "自评报告" { section "得分" {} } } }')
    assert [b.text for b in result.document.blocks] == ["第一部分 附件", "附件 1", "一、自评报告", "（一）得分"]


def test_typed_amounts_are_exact_and_stand_for_an_interval_only_when_asked():
    assert codes('fact 在职 = 6 人\nfact 行政 = 7 人\ncheck 在职 == 行政 "人数"') == ["RD302"]
    assert codes('fact a = 0\nfact b = 0.4\ncheck a == b "零"') == ["RD302"]
    assert codes('fact a = 1\nfact b = 1.4\ncheck a == b "整数金额"') == ["RD302"]
    assert codes('fact a = 1\nfact b = 1.4\ncheck a == b interval "整数金额"') == []  # 1 万元 then stands for 0.5 … 1.5
    header = 'report "示例单位" year 2023 unit 万元 rounding interval\n'
    assert not compile_snippet('fact a = 1\nfact b = 1.4\ncheck a == b "整数金额"', header).diagnostics


def test_unit_line_only_over_tables_of_amounts():
    result = compile_snippet('fact a = 1\nfact n = 3 家\npart "p" { table t "金额" { columns ("项目", "决算数") row ("合计", a) }\n'
                             'table k "工作" { columns ("事项", "数量") row ("新建企业科协", n) } }')
    money, work = result.document.blocks[1:]
    assert money.unit == "万元" and work.unit == ""


def test_tables_and_charts_print_amounts_their_own_way_not_a_lets_sentence_format():
    result = compile_snippet('fact a = 120.00\nlet b = a as g\npart "p" { para "{b}" table t "表" { columns ("x") row (b) } }')
    assert result.document.paragraphs() == ["120"]
    assert result.document.blocks[2].rows[0][0].text == "120.00"


def test_a_two_number_list_sample_counts_with_its_last_number():
    assert paragraphs('part "p" { list "1.1、" { para "a" para "b" } }') == ["1.1、a", "1.2、b"]


def test_plain_texts_join_their_lines_like_templates():
    assert say("{s}", 'fact s = "第一\n          第二"') == "第一第二"


def test_a_tree_of_typed_figures_is_computed_when_asked_and_gives_the_same_values_and_faults():
    typed = 'items t (a, b) {\n  p { x (1.50, -2) y (-, ?) }\n}\nlet s = t.a\npara "{s} {t[y].b}"'
    computed = typed.replace("(1.50, -2)", "(1.50, 0 - 2)")
    for body in (typed, computed):
        result = compile_snippet(body)
        assert result.evaluator.value_of(("s", None)).value == Decimal("1.50")
        assert result.evaluator.measure(result.names.trees["t"].by_key["x"], "b", None).value == Decimal(-2)
        assert [(d.code, d.span.line) for d in result.diagnostics] == [("RD401", 3)]
        assert result.diagnostics[0].related  # the first blank it would print is a note
    assert result.names.trees["t"].typed_only is False
    assert compile_snippet(typed).names.trees["t"].typed_only is True


def test_a_key_written_twice_stands_for_its_first_item_whether_its_values_are_typed_or_computed():
    """The first item of a key written twice (RD108) is the one every look-up finds: the second's
    expression is never evaluated, and the first's `?` is still a blank to fill, with its note."""
    result = compile_snippet('items t (a) {\n  x "甲" (?)\n  x "乙" (未定义 + 1)\n}\npara "{t[x].a}"')
    found = [(d.code, d.span.line) for d in result.diagnostics]
    assert sorted(found) == [("RD108", 4), ("RD401", 3)]
    unfilled = next(d for d in result.diagnostics if d.code == "RD401")
    assert [note for _, note in unfilled.related] == ["it would leave a blank here"]
    assert compile_snippet('items t (a) {\n  x (?)\n  x (5)\n}').names.trees["t"].typed_only is False
