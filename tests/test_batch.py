"""Batch compiles: folders of reports, worker processes, one line per report and a summary."""

import subprocess
import sys

import pytest

OK = 'report "甲单位" year 2023 unit 万元\nfact a = 1\npart "p" {{ para "a 为 {{a}} 万元。{n}" }}\n'
WARN = OK + 'check a == 2 warning "a 应为 2"\n'
BROKEN = OK + "let x = 未定义\n"


@pytest.fixture
def folder(tmp_path):
    reports = tmp_path / "reports"
    (reports / "sub").mkdir(parents=True)
    for index in range(4):
        (reports / f"ok{index}.rpt").write_text(OK.format(n=index), encoding="utf-8")
    (reports / "sub" / "warn.rpt").write_text(WARN.format(n=9), encoding="utf-8")
    (reports / "broken.rpt").write_text(BROKEN.format(n=8), encoding="utf-8")
    (reports / "mini.rpt").write_text('# a layout, not a report\nlayout "mini" "格式"\n', encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_compiles_with_one_line_each_and_a_summary(folder, jobs):
    out = folder / "out"
    result = subprocess.run([sys.executable, "-m", "reportdsl", "compile", str(folder / "reports"), "--to", "md",
                             "-o", str(out), "-j", jobs], capture_output=True, text=True)
    assert result.returncode == 1  # one report has errors; the others are still compiled
    assert "6 report(s): 4 ok, 1 with warnings, 1 with errors" in result.stderr
    assert sorted(p.name for p in out.glob("*.md")) == ["ok0.md", "ok1.md", "ok2.md", "ok3.md", "warn.md"]
    assert "broken.rpt: 1 error(s), 0 warning(s); nothing written" in result.stderr
    assert result.stdout.count(": wrote ") == 5
    assert "mini" not in result.stdout + result.stderr.replace("error", "")


def test_all_clean_exits_zero(folder):
    (folder / "reports" / "broken.rpt").unlink()
    result = subprocess.run([sys.executable, "-m", "reportdsl", "compile", str(folder / "reports"), "--to", "json",
                             "-o", str(folder / "out"), "-j", "2"], capture_output=True, text=True)
    assert result.returncode == 0 and len(list((folder / "out").glob("*.json"))) == 5


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_gives_one_json_object_per_report_on_standard_output(folder, jobs):
    import json

    out = folder / "out"
    result = subprocess.run([sys.executable, "-m", "reportdsl", "compile", str(folder / "reports"), "--to", "md",
                             "-o", str(out), "-j", jobs, "--format", "jsonl"], capture_output=True, text=True)
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_name = {line["path"].replace("\\", "/").rsplit("/", 1)[-1]: line for line in lines}
    assert sorted(by_name) == ["broken.rpt", "ok0.rpt", "ok1.rpt", "ok2.rpt", "ok3.rpt", "warn.rpt"]
    assert by_name["broken.rpt"]["status"] == "errors" and by_name["broken.rpt"]["written"] == []
    assert [d["code"] for d in by_name["broken.rpt"]["diagnostics"]] == ["RD101"]
    assert by_name["warn.rpt"]["status"] == "warnings"
    assert [d["severity"] for d in by_name["warn.rpt"]["diagnostics"]] == ["warning"]
    assert by_name["ok0.rpt"]["status"] == "ok" and by_name["ok0.rpt"]["written"] == [str(out / "ok0.md")]
    assert "6 report(s)" in result.stderr


def test_each_report_of_a_batch_is_collected_when_done_so_a_long_batch_stays_at_one_reports_memory(folder):
    import gc

    from reportdsl.batch import Options, compile_one

    before = gc.get_threshold()
    gc.set_threshold(100_000, *before[1:])  # what a command runs with (cli.short_lived_collections)
    try:
        options = Options("md", str(folder / "out"), None, False, (), keep_compiled=False)
        outcome = compile_one(str(folder / "reports" / "ok0.rpt"), options)
        young, middle, _ = gc.get_count()
    finally:
        gc.set_threshold(*before)
    assert outcome.status.value == "ok"
    assert young < 1_000 and middle == 0
