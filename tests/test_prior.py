"""Prior-year reports: 上年 figures taken from last year's file, and compared where typed in both."""

from pathlib import Path

from reportdsl import ast
from reportdsl.compiler import compile_file

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def codes(result):
    return [(d.code, d.span.line) for d in result.diagnostics]


def test_the_sample_takes_its_prior_year_from_hongshan_2022():
    result = compile_file(str(ROOT / "reports" / "hongshan_2023.rpt"))
    assert result.prior is not None and result.prior.report.header.year == 2022
    ev = result.evaluator
    assert ("本年收入合计", "上年") not in ev.definitions  # not typed in 2023 …
    assert str(ev.eval(ast.Name("本年收入合计", "上年"), {}).value) == "447.20"  # … taken from 2022


def test_figure_from_last_year_and_cross_check(tmp_path):
    write(tmp_path, "a2022.rpt", 'report "x" year 2022 unit 万元\nfact 总计 = 447.20\n')
    ok = compile_file(write(tmp_path, "a.rpt", 'report "x" year 2023 unit 万元 prior "a2022.rpt"\n'
                                               'fact 总计 = 376.72\nlet r = change(总计, 总计@上年)\n'))
    assert codes(ok) == [] and str(ok.evaluator.value_of(("r", None)).value).startswith("-0.1576")
    both = compile_file(write(tmp_path, "b.rpt", 'report "x" year 2023 unit 万元 prior "a2022.rpt"\n'
                                                 'fact 总计@上年 = 447.20\n'))
    assert codes(both) == []
    differ = compile_file(write(tmp_path, "c.rpt", 'report "x" year 2023 unit 万元 prior "a2022.rpt"\n'
                                                   'fact 总计@上年 = 450\n'))
    assert codes(differ) == [("RD307", 2)]


def test_prior_year_problems(tmp_path):
    missing = compile_file(write(tmp_path, "m.rpt", 'report "x" year 2023 prior "none.rpt"\n'))
    assert codes(missing) == [("RD005", 1)] and "cannot read" in missing.diagnostics[0].help[0]
    assert missing.diagnostics[0].message == "the prior-year report 'none.rpt' is not found"
    write(tmp_path, "old.rpt", 'report "x" year 2021\n')
    assert codes(compile_file(write(tmp_path, "y.rpt", 'report "x" year 2023 prior "old.rpt"\n'))) == [("RD005", 1)]
    write(tmp_path, "broken.rpt", 'report "x" year 2022\nlet a = 未定义\n')
    broken = compile_file(write(tmp_path, "z.rpt", 'report "x" year 2023 prior "broken.rpt"\n'))
    assert codes(broken) == [("RD005", 1)] and "1 error" in broken.diagnostics[0].message


def test_a_cycle_of_prior_reports_is_refused(tmp_path):
    write(tmp_path, "p.rpt", 'report "x" year 2022 prior "q.rpt"\n')
    write(tmp_path, "q.rpt", 'report "x" year 2021 prior "p.rpt"\n')
    result = compile_file(str(tmp_path / "p.rpt"))
    assert any(d.code == "RD005" for d in result.diagnostics)
    assert "cycle" in " ".join(d.message + " ".join(d.help) for d in result.diagnostics)


def test_imports_stay_inside_the_allowed_folders(tmp_path, monkeypatch):
    from reportdsl.compiler import Links

    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    write(outside, "last.rpt", 'report "x" year 2022 unit 万元\nfact 总计 = 1\n')
    write(outside, "lay.rpt", 'layout "l" "格式" unit 万元\n')
    report = write(inside, "r.rpt", 'report "x" year 2023 unit 万元 prior "../outside/last.rpt"\n')
    monkeypatch.chdir(inside)
    refused = compile_file(report)
    assert codes(refused) == [("RD005", 1)] and "--allow-path" in refused.diagnostics[0].help[0]
    allowed = compile_file(report, Links.default(report, (str(outside),)))
    assert codes(allowed) == []
    on_layout = write(inside, "s.rpt", 'report "x" year 2023 unit 万元 layout "../outside/lay.rpt"\n')
    assert codes(compile_file(on_layout)) == [("RD006", 1)]


def test_a_symlink_loop_or_a_directory_is_a_diagnostic(tmp_path):
    (tmp_path / "a.rpt").symlink_to(tmp_path / "b.rpt")
    (tmp_path / "b.rpt").symlink_to(tmp_path / "a.rpt")
    (tmp_path / "dir.rpt").mkdir()
    looped = compile_file(write(tmp_path, "r.rpt", 'report "x" year 2023 prior "a.rpt"\n'))
    assert [d.code for d in looped.diagnostics] == ["RD005"]
    folder = compile_file(write(tmp_path, "q.rpt", 'report "x" year 2023 prior "dir.rpt"\n'))
    assert [d.code for d in folder.diagnostics] == ["RD005"] and "directory" in folder.diagnostics[0].help[0]
    assert [d.code for d in compile_file(str(tmp_path / "a.rpt")).diagnostics] == ["RD004"]
