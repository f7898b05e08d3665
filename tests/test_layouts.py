"""Layouts: merging a report into its layout, errors of placement, `reportdsl new`."""


import pytest
from click.testing import CliRunner

from reportdsl.cli import main
from reportdsl.compiler import compile_file

LAYOUT = '''layout "mini" "示例格式" unit 万元
# 本年收、支总计
fact 收支总计 = ?
fact 收支总计@上年 = ?  # 上年收、支总计
fact 主要职责 = ?  # 部门主要职责
let 变动 = 收支总计 - 收支总计@上年
check 收支总计 >= 0 "收支总计不能为负"
part 概况 "{department}概况" {
  section 职责 "部门主要职责" {
    para "{主要职责}"
  }
  section 机构 "机构设置情况" {
    para 机构文字 "本部门为一级预算单位。"
  }
}
part 说明 "部门决算情况说明" {
  section 总体 "收入支出决算总体情况说明" {
    para "收、支总计 {收支总计} 万元，{if 变动 != 0}{变动:增减} {abs(变动)} 万元{else}与上年持平{end}。"
  }
}
'''

REPORT = '''report "示例局" year 2023 unit 万元 layout "mini.rpt"
fact 收支总计 = 376.72
fact 收支总计@上年 = 447.20
fact 主要职责 = "负责示例工作。"
'''


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "mini.rpt").write_text(LAYOUT, encoding="utf-8")
    return tmp_path


def compile_report(folder, text):
    path = folder / "r.rpt"
    path.write_text(text, encoding="utf-8")
    return compile_file(str(path))


def texts(result):
    return [getattr(b, "full_text", None) or b.text for b in result.document.blocks]


def test_a_report_fills_the_layouts_inputs(folder):
    result = compile_report(folder, REPORT)
    assert not result.diagnostics
    assert texts(result) == ["第一部分 示例局概况", "一、部门主要职责", "负责示例工作。", "二、机构设置情况",
                             "本部门为一级预算单位。", "第二部分 部门决算情况说明", "一、收入支出决算总体情况说明",
                             "收、支总计 376.72 万元，减少 70.48 万元。"]


def test_zero_change_reads_as_the_layout_wrote_it(folder):
    result = compile_report(folder, REPORT.replace("447.20", "376.72"))
    assert texts(result)[-1] == "收、支总计 376.72 万元，与上年持平。"


def test_named_text_is_replaced_in_place_and_anchored_sections_inserted(folder):
    result = compile_report(folder, REPORT + 'para 机构文字 "本部门由本级和 2 个下属单位组成。"\n'
                                             'section 采购 "政府采购情况" after 总体 { para "无。" }\n'
                                             'section 附录 "附录" before 职责 { para "见后。" }\n'
                                             'part "附件" { para "附件一。" }\n')
    assert not result.diagnostics
    assert texts(result) == ["第一部分 示例局概况", "一、附录", "见后。", "二、部门主要职责", "负责示例工作。",
                             "三、机构设置情况", "本部门由本级和 2 个下属单位组成。", "第二部分 部门决算情况说明",
                             "一、收入支出决算总体情况说明", "收、支总计 376.72 万元，减少 70.48 万元。",
                             "二、政府采购情况", "无。", "第三部分 附件", "附件一。"]


def test_a_figure_the_layout_declares_within_a_whole_stays_within_it_when_the_report_types_it(folder):
    (folder / "mini.rpt").write_text(LAYOUT + "fact 其中 = ? within 收支总计\n", encoding="utf-8")
    result = compile_report(folder, REPORT + "fact 其中 = 400\n")
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("RD305", 5)]


def test_a_report_can_redefine_a_formula(folder):
    result = compile_report(folder, REPORT + "let 变动 = 收支总计 - 收支总计\n")
    assert texts(result)[-1] == "收、支总计 376.72 万元，与上年持平。"


def test_the_layouts_checks_apply_and_are_shown_at_the_report_figure_they_read(folder):
    result = compile_report(folder, REPORT.replace("376.72", "-1"))
    [failed] = result.diagnostics
    assert failed.code == "RD303" and failed.span.path.endswith("r.rpt") and "-1" in result.source.line_text(failed.span.line)
    assert failed.related[0][0].path.endswith("mini.rpt")


def test_a_missing_input_points_at_the_layout_clause_with_the_layout_line_and_names_the_fact_to_add(folder):
    result = compile_report(folder, REPORT.replace('fact 主要职责 = "负责示例工作。"\n', ""))
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "RD401" and diagnostic.span.path.endswith("r.rpt") and diagnostic.span.line == 1
    assert diagnostic.related[0][0].path.endswith("mini.rpt")
    assert "add `fact 主要职责 = …` to the report" in diagnostic.help[0]


def test_placement_errors(folder):
    result = compile_report(folder, REPORT + 'section 采购 "政府采购情况" after 总休 { para "无。" }\n')
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("RD111", 5)]
    assert "did you mean '总体'?" in result.diagnostics[0].help[0]
    unknown = compile_report(folder, REPORT.replace('layout "mini.rpt"', "layout nowhere"))
    assert [d.code for d in unknown.diagnostics] == ["RD006"]
    (folder / "notalayout.rpt").write_text('report "x"\n', encoding="utf-8")
    assert [d.code for d in compile_report(folder, REPORT.replace("mini.rpt", "notalayout.rpt")).diagnostics] == ["RD006"]


def test_a_layout_alone_checks_its_names_not_its_open_inputs(folder):
    assert compile_file(str(folder / "mini.rpt")).diagnostics == ()
    (folder / "bad.rpt").write_text(LAYOUT.replace("{主要职责}", "{主要职能}"), encoding="utf-8")
    [diagnostic] = compile_file(str(folder / "bad.rpt")).diagnostics
    assert diagnostic.code == "RD101" and "fact 主要职能 = ?" in diagnostic.help[0]


def test_new_lists_every_input_with_its_comment_and_check_reports_each(folder):
    target = folder / "new.rpt"
    result = CliRunner().invoke(main, ["new", "--layout", "mini.rpt", "--department", "测试局", "--year", "2024",
                                       "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith('report "测试局" year 2024 unit 万元 layout "mini.rpt"\n')
    assert "# 本年收、支总计\nfact 收支总计      = ?\nfact 收支总计@上年 = ?  # 上年收、支总计\n" in text
    assert "fact 主要职责      = ?  # 部门主要职责" in text
    checked = compile_file(str(target))
    assert sorted(d.message for d in checked.diagnostics) == sorted(
        ["'收支总计' is not filled in", "'收支总计@上年' is not filled in", "'主要职责' is not filled in"])
    assert all(d.span.path == str(target) for d in checked.diagnostics)
    filled = (text.replace("fact 收支总计      = ?", "fact 收支总计 = 100").replace("@上年 = ?", "@上年 = 90")
              .replace("fact 主要职责      = ?", 'fact 主要职责 = "职责。"'))
    target.write_text(filled, encoding="utf-8")
    assert not compile_file(str(target)).diagnostics
    again = CliRunner().invoke(main, ["new", "--layout", "mini.rpt", "--department", "x", "--year", "2024", "-o", str(target)])
    assert again.exit_code == 2  # never overwrites


def test_formatting_keeps_names_and_anchors(folder):
    from reportdsl.fmt_command import formatted
    from reportdsl.source import SourceFile

    text = REPORT + 'section 采购 "政府采购情况" after 总体 {\n  para 说明 "无。"\n}\n'
    once = formatted(SourceFile("r.rpt", text))
    assert 'section 采购 "政府采购情况" after 总体 {' in once and 'para 说明 "无。"' in once
    assert formatted(SourceFile("l.rpt", LAYOUT)).startswith('layout "mini" "示例格式" unit 万元\n')
