"""`reportdsl diff`: changes in meaning, not in bytes; usable as a git diff driver."""

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from reportdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "reports" / "hongshan_2023.rpt"


def copy_with(tmp_path, name, old, new):
    text = REPORT.read_text(encoding="utf-8")
    if old:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (tmp_path / "hongshan_2022.rpt").write_text((ROOT / "reports" / "hongshan_2022.rpt").read_text(encoding="utf-8"),
                                                encoding="utf-8")
    return path


def diff(*paths):
    return CliRunner().invoke(main, ["diff", *map(str, paths)])


def test_a_changed_figure_shows_its_consequences_and_the_sentences_it_alters(tmp_path):
    old = copy_with(tmp_path, "old.rpt", "", "")
    new = copy_with(tmp_path, "new.rpt", '2060101 "行政运行"         (169.84, 194.11, 194.11,', '2060101 "行政运行"         (169.84, 195.11, 195.11,')
    result = diff(old, new)
    assert result.exit_code == 1
    out = result.output
    assert "gpb 2060101 行政运行: 决算 194.11 → 195.11 (+1.00, +0.5%); 基本 194.11 → 195.11 (+1.00, +0.5%)" in out
    assert "now failing: error[RD302]: 收入总计应等于支出总计" in out  # income no longer covers spending
    assert "~ 2023 年度支出合计 [376.72 → 377.72] 万元，" in out  # the sentence once, its number whole
    assert "下降 [15.8% → 15.5%]" in out
    assert "2060101 行政运行: 本年支出合计 194.11 → 195.11 (+1.00, +0.5%)" in out  # the table row, by its code


def test_reformatting_and_comments_mean_the_same(tmp_path):
    old = copy_with(tmp_path, "old.rpt", "", "")
    new = copy_with(tmp_path, "new.rpt", "section 主要职责 \"部门主要职责\" {",
                    "# 新的注释\nsection   主要职责   \"部门主要职责\"   {")
    result = diff(old, new)
    assert result.exit_code == 0 and "mean the same" in result.output


def test_git_diff_driver_form(tmp_path):
    old = copy_with(tmp_path, "old.rpt", "", "")
    new = copy_with(tmp_path, "new.rpt", "fact 收支总计@上年 = 447.20", "fact 收支总计@上年 = 447.30")
    result = diff("reports/hongshan_2023.rpt", old, "abc", "100644", new, "def", "100644")
    assert result.exit_code == 0
    assert result.output.startswith("reportdsl diff a/reports/hongshan_2023.rpt b/reports/hongshan_2023.rpt")
    assert "收支总计@上年: 447.20 → 447.30 万元 (+0.10, +0.0%)" in result.output


def test_git_uses_the_driver(tmp_path):
    repo = tmp_path / "repo"
    (repo / "reports").mkdir(parents=True)
    for name in ("hongshan_2023.rpt", "hongshan_2022.rpt"):
        (repo / "reports" / name).write_text((ROOT / "reports" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / ".gitattributes").write_text("*.rpt diff=reportdsl\n")
    git = ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    target = repo / "reports" / "hongshan_2023.rpt"
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"fact 结余分配( *)= 0\n", r"fact 结余分配\1= 1.5\n", text), encoding="utf-8")
    driver = f"{sys.executable} -m reportdsl diff"
    out = subprocess.run([*git, "-c", f"diff.reportdsl.command={driver}", "diff"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "结余分配: 0.00 → 1.50 万元 (+1.50)   (reports/hongshan_2023.rpt:" in out.stdout


def test_the_git_driver_compiles_the_old_version_beside_its_prior_year_report(tmp_path, monkeypatch):
    """git hands the driver a temporary copy of the old version; its `prior "hongshan_2022.rpt"` is
    still found beside the file git names, so prior-year figures keep their values on both sides."""
    (tmp_path / "reports").mkdir()
    for name in ("hongshan_2023.rpt", "hongshan_2022.rpt"):
        (tmp_path / "reports" / name).write_text((ROOT / "reports" / name).read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    temporary = tmp_path / "git-blob-x"
    temporary.mkdir()
    old = temporary / "hongshan_2023.rpt"
    old.write_text(REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    new = tmp_path / "reports" / "hongshan_2023.rpt"
    new.write_text(re.sub(r"fact 结余分配( *)= 0\n", r"fact 结余分配\1= 1.5\n", new.read_text(encoding="utf-8")),
                   encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # git runs the driver at the top of the working tree
    result = diff("reports/hongshan_2023.rpt", old, "abc", "100644", new, "def", "100644")
    out = result.output
    assert result.exit_code == 0 and "结余分配: 0.00 → 1.50 万元 (+1.50)" in out
    assert "no value" not in out and "now passing" not in out and "持平" not in out
    location = re.search(r"结余分配: .*\((.*)\)", out).group(1)
    assert location.count("hongshan_2023.rpt:") == 1


def test_usage():
    assert diff(REPORT).exit_code == 2
