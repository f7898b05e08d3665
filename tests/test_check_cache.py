"""`check` keeps what it printed for a report (check_cache.py): checked again with nothing changed,
the same is printed without compiling; a change to the report or to any file it read is seen."""

import pytest
from click.testing import CliRunner

from reportdsl.cli import main

PRIOR = 'report "甲单位" year 2022 unit 万元\nfact a = {a}\n'
REPORT = 'report "甲单位" year 2023 unit 万元 prior "prior.rpt"\nfact a = 2\ncheck a@上年 == 1 warning "上年应为 1"\n'


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prior.rpt").write_text(PRIOR.format(a=1), encoding="utf-8")
    (tmp_path / "report.rpt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def check(*arguments):
    return CliRunner().invoke(main, ["check", *arguments])


def not_compiled(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("compiled although nothing changed")

    monkeypatch.setattr("reportdsl.compiler.compile_file", refuse)


def test_a_report_checked_again_unchanged_prints_the_same_without_compiling(folder, monkeypatch):
    first, first_json = check("report.rpt", "--strict"), check("report.rpt", "--format", "json")
    assert first.exit_code == 0 and "report.rpt: ok" in first.output
    not_compiled(monkeypatch)
    again, again_json = check("report.rpt", "--strict"), check("report.rpt", "--format", "json")
    assert (again.exit_code, again.output) == (first.exit_code, first.output)
    assert (again_json.exit_code, again_json.output) == (first_json.exit_code, first_json.output)


def test_a_changed_prior_year_report_is_read_again(folder):
    assert check("report.rpt").exit_code == 0
    (folder / "prior.rpt").write_text(PRIOR.format(a=5), encoding="utf-8")
    changed = check("report.rpt", "--strict")
    assert changed.exit_code == 1 and "warning[RD302]: 上年应为 1" in changed.output


def test_a_changed_report_or_other_options_are_checked_again(folder):
    assert check("report.rpt").exit_code == 0
    (folder / "report.rpt").write_text(REPORT.replace("== 1", "== 3"), encoding="utf-8")
    assert "上年应为 1" in check("report.rpt").output
    assert check("report.rpt", "--strict").exit_code == 1


def test_a_missing_prior_year_report_is_not_kept_as_missing(folder):
    (folder / "prior.rpt").unlink()
    assert "RD005" in check("report.rpt").output
    (folder / "prior.rpt").write_text(PRIOR.format(a=1), encoding="utf-8")
    found = check("report.rpt")
    assert found.exit_code == 0 and "RD005" not in found.output


def compile_to(folder, target="md"):
    result = CliRunner().invoke(main, ["compile", "report.rpt", "--to", target, "--no-charts", "-o", "out"])
    return result, (folder / "out" / f"report.{target}").read_bytes() if result.exit_code == 0 else None


def test_a_report_compiled_again_unchanged_is_only_rendered_with_the_same_outputs_and_messages(folder, monkeypatch):
    (folder / "prior.rpt").write_text(PRIOR.format(a=5), encoding="utf-8")  # a warning to say again
    first = {target: compile_to(folder, target) for target in ("md", "json", "docx")}
    assert "上年应为 1" in first["md"][0].output
    not_compiled(monkeypatch)
    for target, (result, output) in first.items():
        again, again_output = compile_to(folder, target)
        assert (again.exit_code, again.output, again_output) == (result.exit_code, result.output, output)


def test_a_report_compiled_after_its_prior_year_report_changed_is_compiled_again(folder):
    assert "上年应为 1" not in compile_to(folder)[0].output
    (folder / "prior.rpt").write_text(PRIOR.format(a=5), encoding="utf-8")
    assert "上年应为 1" in compile_to(folder)[0].output


def test_a_damaged_kept_compile_is_compiled_again(folder, monkeypatch):
    compile_to(folder)
    for kept in (folder / "cache" / "reportdsl" / "compiled").glob("*.pickle"):
        kept.write_bytes(kept.read_bytes()[:-10] + b"0123456789")
    calls = []
    from reportdsl import compiler

    real = compiler.compile_file
    monkeypatch.setattr("reportdsl.compiler.compile_file", lambda *a, **k: calls.append(1) or real(*a, **k))
    again, output = compile_to(folder)
    assert again.exit_code == 0 and output and calls


def test_a_report_with_errors_compiled_again_says_the_same_errors_and_writes_nothing(folder):
    (folder / "report.rpt").write_text(REPORT + "let b = 未定义\n", encoding="utf-8")
    first, again = compile_to(folder), compile_to(folder)
    assert first[0].exit_code == again[0].exit_code == 1 and "RD101" in first[0].output
    assert first[0].output == again[0].output and again[1] is None
