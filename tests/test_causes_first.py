"""Causes first: the root diagnostic before what follows from it, follow-ons folded under it,
diagnostics in the layout shown at the report line that caused them, messages that say what to type."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportdsl.compiler import compile_file, compile_text
from reportdsl.diagnostics import render_text

REPORTS = Path(__file__).resolve().parents[1] / "reports"


def sample(tmp_path, old: str = "", new: str = "", with_prior: bool = True) -> Path:
    text = (REPORTS / "hongshan_2023.rpt").read_text(encoding="utf-8")
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    if with_prior:
        shutil.copy(REPORTS / "hongshan_2022.rpt", tmp_path / "hongshan_2022.rpt")
    path = tmp_path / "hongshan_2023.rpt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_prior_year_report_is_not_found_with_no_cascade_of_undefined_names(tmp_path):
    result = compile_file(str(sample(tmp_path, with_prior=False)))
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["RD005"]
    assert "'hongshan_2022.rpt' is not found" in errors[0].message
    assert any("follows from this: error[RD101]" in note and "@上年" in note for _, note in errors[0].related)


def test_a_parent_that_does_not_add_up_comes_first_with_the_checks_that_read_it_folded_under_it(tmp_path):
    path = sample(tmp_path, '  财政拨款   "财政拨款收入" {', '  财政拨款   "财政拨款收入" (370.00) {')
    result = compile_file(str(path))
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["RD301"]
    folded = [note for _, note in errors[0].related if note.startswith("follows from this")]
    assert len(folded) == 3 and any("收入总计应等于支出总计" in note for note in folded)
    assert [d.code for d in result.diagnostics if not d.is_error] == ["RD302"]  # 自评项目: reads no income
    shown = render_text(errors[0], result.sources)
    assert "site-packages" not in shown and "/src/reportdsl/" not in shown


def test_a_finding_that_does_not_read_the_wrong_parent_stays_on_its_own(tmp_path):
    text = (REPORTS / "putuo_social_work_2024.rpt").read_text(encoding="utf-8")
    assert text.count('302 "商品和服务支出" {') == 1
    wrong = text.replace('302 "商品和服务支出" {', '302 "商品和服务支出" (99.99) {')
    path = tmp_path / "putuo.rpt"
    path.write_text(wrong, encoding="utf-8")
    result = compile_file(str(path))
    assert result.diagnostics[0].code == "RD301"
    [procurement] = [d for d in result.diagnostics if d.code == "RD303" and "政府采购金额" in d.message]
    assert procurement.span.path == str(path)  # at the report's own fact, the layout's check as a note
    assert "fact 预留项目中小企业中标金额" in wrong.splitlines()[procurement.span.line - 1]
    assert any(span.path.endswith("shanghai-2024.rpt") for span, _ in procurement.related)


def test_roots_come_before_the_diagnostics_of_earlier_lines():
    result = compile_text('report "示例" year 2023 unit 万元\n'
                          'fact a = 1\nlet b = a / 0\npart "p" { para "{b}" }\n'
                          'items t (m) { 1 "甲" (5) { 11 "乙" (1) } }\n', "t.rpt")
    assert [d.code for d in result.diagnostics][0] == "RD301"


def test_a_blank_the_layout_would_publish_is_shown_at_the_report_item_with_the_layout_line_as_a_note(tmp_path):
    path = sample(tmp_path, 'reason "没有因公出国(境)事项"', "")
    result = compile_file(str(path))
    [blank] = [d for d in result.diagnostics if d.code == "RD401"]
    assert blank.span.path == str(path) and "因公出国" in path.read_text(encoding="utf-8").splitlines()[blank.span.line - 1]
    assert any(span.path.endswith("hubei.rpt") for span, _ in blank.related)
    assert blank.help[0].startswith("write the item's reason")  # a reason, not "the figure"


def test_a_full_width_comma_between_digits_says_what_to_type():
    result = compile_text('report "示例" year 2023 unit 万元\nfact x = 390，10\n', "t.rpt")
    [syntax] = result.diagnostics
    assert syntax.code == "RD001" and syntax.help == ("write 390.10: a number's decimal point is '.'",)


def test_a_check_folds_under_a_wrong_parent_through_the_figures_it_is_computed_from_and_no_other():
    result = compile_text('report "示例" year 2023 unit 万元\n'
                          'items t "树" (m) { 1 "甲" (5) { 11 "乙" (1) } 2 "丙" (3) }\n'
                          'let 甲类 = t[1].m\nlet 总计 = t.m\n'
                          'check 甲类 == 2 "甲类应为 2"\ncheck 总计 == 9 "总计应为 9"\ncheck t[2].m == 4 "丙应为 4"\n', "t.rpt")
    [root, unrelated] = result.diagnostics
    assert root.code == "RD301" and unrelated.message == "丙应为 4"
    assert sorted(note.split("] ")[1] for _, note in root.related) == ["总计应为 9", "甲类应为 2"]


def test_an_input_the_layout_needs_and_the_report_lacks_is_shown_at_the_layout_clause(tmp_path):
    path = sample(tmp_path, "fact 下属单位数 = 0 个\n", "")
    result = compile_file(str(path))
    [missing] = [d for d in result.diagnostics if d.is_error]
    header = path.read_text(encoding="utf-8").splitlines()[missing.span.line - 1]
    assert missing.span.path == str(path) and header[missing.span.column - 1:].startswith("hubei")
    assert missing.related[0][0].path.endswith("hubei.rpt") and "add `fact 下属单位数 = …`" in missing.help[0]


def test_every_diagnostic_of_a_report_on_a_layout_is_shown_in_the_report(tmp_path):
    path = sample(tmp_path, "fact 下属单位数 = 0 个\n", "")
    text = path.read_text(encoding="utf-8")
    for old, new in (('  财政拨款   "财政拨款收入" {', '  财政拨款   "财政拨款收入" (370.00) {'),
                     ("fact 本年支出合计@全年预算 = 376.99", "fact 本年支出合计@全年预算 = 300.00")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    result = compile_file(str(path))
    assert {"RD301", "RD401", "RD412"} <= {d.code for d in result.diagnostics}
    assert [d.code for d in result.diagnostics if d.span.path != str(path)] == []
