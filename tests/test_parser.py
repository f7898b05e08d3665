"""The grammar and the parser: what each construct becomes, and syntax errors in words."""

from decimal import Decimal

import pytest

from reportdsl import ast
from reportdsl.parser import parse_text
from helpers import HEADER, diagnose


def parse_body(body: str) -> ast.Report:
    return parse_text(HEADER + body)


def test_header():
    report = parse_text('report "武汉市洪山区科学技术协会" year 2023 unit 万元 layout hubei')
    assert report.header == ast.Header("武汉市洪山区科学技术协会", 2023, "万元", "hubei")


def test_fact_with_period_unit_and_within():
    fact = parse_body("fact 行政 = 6 人 within 在职@上年").body[0]
    assert fact == ast.Fact(ast.Ref("行政", None), ast.Number(Decimal("6"), 0, "人"), ast.Ref("在职", "上年"))


def test_number_keeps_its_typed_decimals_and_percent_is_a_ratio():
    let = parse_body("let x = 87.50 + 18.7%").body[0]
    assert let.expr.left == ast.Number(Decimal("87.50"), 2, None)
    assert let.expr.right == ast.Percent(Decimal("0.187"), 3)


def test_operator_precedence_and_left_associativity():
    expr = parse_body("let x = 1 - 2 - 3 * 4 ?? 5").body[0].expr
    assert isinstance(expr, ast.Coalesce)
    minus = expr.left
    assert minus.op == "-" and minus.left.op == "-" and minus.right.op == "*"


def test_items_tree_with_blank_placeholder_reason_and_children():
    items = parse_body('items t "标题" (预算, 决算) { 206 "科学" { 2060101 "运行" (1.5, -) reason "新增人员" } x "名" (?, 2) }').body[0]
    assert items.measures == ("预算", "决算")
    child = items.nodes[0].children[0]
    assert child.key == "2060101" and child.is_code and isinstance(child.values[1], ast.Blank)
    assert child.attributes[0][0] == "reason"
    assert not items.nodes[1].is_code and isinstance(items.nodes[1].values[0], ast.Placeholder)


def test_template_parts_and_line_joining():
    para = parse_body('part "p" { para "甲 {x:%.1}\n        乙{if y}丙{else}丁{end}{for i in t.leaves sep \'、\'}{i.name}{end}" }').body[0].body[0]
    kinds = [type(p).__name__ for p in para.template.parts]
    assert kinds == ["Literal", "Interp", "Literal", "IfChain", "Loop"]
    assert para.template.parts[1].format == "%.1"
    assert para.template.parts[2].text == "乙"  # the line break and indentation are gone
    assert para.template.parts[4].separator == "、"


def test_text_block_splits_paragraphs_on_blank_lines():
    block = parse_body('part "p" { text """第一段\n  续。\n\n  第二段""" }').body[0].body[0]
    assert [t.parts[0].text for t in block.paragraphs] == ["第一段续。", "第二段"]


def test_comments_are_kept_with_positions():
    report = parse_body("# 说明\nfact a = 1  # 行尾\n")
    assert [(c.text, c.span.line) for c in report.comments] == [("# 说明", 2), ("# 行尾", 3)]


def test_spans_point_into_the_file():
    fact = parse_body("\n   fact a = 1").body[0]
    assert (fact.span.line, fact.span.column) == (3, 4)


def test_expression_spans_inside_templates_are_absolute():
    para = parse_body('part "p" {\n  para "前 {未定义}" }').body[0].body[0]
    interp = para.template.parts[1]
    assert (interp.expr.span.line, interp.expr.span.column) == (3, 12)


def test_equality_ignores_spans():
    assert parse_body("fact a = 1").body == parse_body("\n\nfact   a =   1").body


@pytest.mark.parametrize("body,where", [
    ("fact x = ", (2, 8)),
    ("fact x = 1，", (2, 11)),
    ("fact x = １", (2, 10)),
    ('part "a" { para "x"', (2, 19)),
    ("let a = b c", (2, 11)),
    ('part "p" { para "{x" }', (2, 18)),
    ('part "p" { para "{if x}y" }', (2, 18)),
    ('part "p" { para "{else}" }', (2, 18)),
    ('part "p" { para "{}" }', (2, 18)),
    ('part "p" { para "}" }', (2, 18)),
    ('part "p" { para "{x:%.q}" }', (2, 19)),
    ('items t (a) { 20.6 "x" (1) }', (2, 15)),
    ('part "p" { list "a" { para "x" } }', (2, 17)),
])
def test_syntax_errors_point_at_the_first_problem(body, where):
    found = diagnose(body)
    assert len(found) == 1
    code, line, column = found[0]
    assert code in ("RD001", "RD002", "RD003")
    assert (line, column) == where


def test_syntax_error_messages_say_what_was_expected():
    from helpers import compile_snippet

    result = compile_snippet('part "a" {\n  para "x"\n')
    diagnostic = result.diagnostics[0]
    assert "ends too early" in diagnostic.message and "'}'" in diagnostic.message
    assert "opened at line 2" in diagnostic.help[0]


@pytest.mark.parametrize("text", ["year", "收支总计", "收支总计@上年", "t@2022", "x.name", "gpb.决算", "a.b.c",
                                  "x.if", "not", "a + b", "f(x)", "x[206]"])
def test_simple_references_are_built_exactly_as_the_grammar_would(text):
    import attrs

    from reportdsl.parser import parse_expression
    from reportdsl.template_parser import simple_reference
    from reportdsl.source import SourceFile

    source = SourceFile("t.rpt", "para {" + text + "}")
    fast = simple_reference(source, text, 6)
    if text in ("x.if", "not", "a + b", "f(x)", "x[206]"):
        assert fast is None  # keywords and anything more than a reference take the full parse
        return
    full = parse_expression(source, text, 6)
    assert fast == full

    def spans(node):
        found = [node.span]
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            if attrs.has(type(value)) and hasattr(value, "span"):
                found += spans(value)
        return found

    assert spans(fast) == spans(full)


def test_a_note_written_after_a_comment_is_warned_about_as_part_of_the_comment():
    from reportdsl.compiler import compile_text

    result = compile_text('report "示例" year 2024 unit 万元\n'
                          'items t (m) {\n'
                          '  201 "一般公共服务支出" (1.00)  # 估算 note "待核实"\n'
                          '  202 "外交支出" (2.00) note "已写好"  # 一个普通的注释\n'
                          '}\n# note "整行注释里的代码是有意注掉的"\n')
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("RD130", 3)]


def test_a_comment_inside_braces_stays_in_its_text_and_is_not_a_comment_of_the_file():
    report = parse_text('report "示例" year 2024 unit 万元\nfact a = 1\npara "值 {a + 1 # 注}"\n')
    assert report.comments == ()


def test_the_language_reference_lists_exactly_the_grammars_keywords():
    import re
    from pathlib import Path

    from reportdsl.syntax_rules import keywords

    reference = (Path(__file__).resolve().parents[1] / "docs" / "language.md").read_text(encoding="utf-8")
    listed = re.search(r"The keywords `([^`]*)`", reference.replace("\n  ", " ")).group(1).split()
    assert set(listed) == keywords() | {"year", "unit"}


def test_a_layout_file_has_a_layout_header_of_its_own():
    assert parse_text('layout "mini" "示例格式" unit 万元\n').header == ast.LayoutHeader("mini", "示例格式", "万元")
    header = parse_text('layout "mini"\n').header
    assert header == ast.LayoutHeader("mini", None, None) and header.department == "mini" and header.year is None
