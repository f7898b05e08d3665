"""Broken input gets a pointed diagnostic and changes nothing."""

from pathlib import Path

from reportdsl.compiler import compile_file, compile_text

ROOT = Path(__file__).resolve().parents[1]


def test_a_broken_line_appended_to_the_sample_is_one_pointed_syntax_error(tmp_path):
    text = (ROOT / "reports" / "hongshan_2023.rpt").read_text(encoding="utf-8")
    last_line = text.count("\n") + 1
    copy = tmp_path / "copy.rpt"
    copy.write_text(text + "fact 结余 = = 1\n", encoding="utf-8")
    result = compile_file(str(copy))
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("RD001", last_line, 11)]
    assert "unexpected '='" in result.diagnostics[0].message


def test_change_rate_failure_mentions_the_other_base():
    result = compile_text('report "x" year 2023 unit 万元\nfact t = 376.72\nfact t@上年 = 447.20\n'
                          'check abs(change(t, t@上年)) == 20% "x"')
    assert result.diagnostics[0].code == "RD302"
    assert any("the current year as denominator would give 18.71%" in line for line in result.diagnostics[0].help)
