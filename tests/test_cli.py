"""The command line as a user meets it: exit codes, output formats, help, no tracebacks."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reportdsl import __version__
from reportdsl.cli import main

CLEAN = 'report "示例" year 2023 unit 万元\nfact a = 1\npart "p" { para "a 为 {a} 万元。" }\n'
WARN = CLEAN + 'check a == 2 warning "a 应为 2"\n'
BROKEN = CLEAN + 'let x = 未定义 + 1\n'


@pytest.fixture
def write(tmp_path):
    def make(text, name="r.rpt", encoding="utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)
    return make


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_version_and_help_on_every_command():
    assert run("--version").output.strip() == f"reportdsl, version {__version__}"
    for command in ([], ["check"], ["compile"], ["fmt"], ["diff"], ["explain"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_exit_codes(write):
    assert run("check", write(CLEAN)).exit_code == 0
    assert run("check", write(WARN)).exit_code == 0
    assert run("check", "--strict", write(WARN)).exit_code == 1
    assert run("check", write(BROKEN)).exit_code == 1
    assert run("check").exit_code == 2
    assert run("check", "--format", "yaml", write(CLEAN)).exit_code == 2


def test_text_diagnostic_has_position_caret_and_help(write):
    path = write(BROKEN)
    result = run("check", path)
    lines = result.output.splitlines()
    assert lines[0] == f"{path}:4:9: error[RD101]: undefined name '未定义'"
    assert lines[2] == "4 | let x = 未定义 + 1"
    assert lines[3] == "  |         ^^^^^^"
    assert lines[4].startswith("  = help:")


def test_json_format(write):
    result = run("check", "--format", "json", write(BROKEN))
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data[0]["code"] == "RD101" and (data[0]["line"], data[0]["column"]) == (4, 9)
    assert set(data[0]) == {"code", "severity", "message", "path", "line", "column", "help", "related"}


def test_several_files_and_unreadable_ones(write, tmp_path):
    gbk = write(CLEAN, "gbk.rpt", encoding="gbk")
    result = run("check", write(CLEAN), gbk, str(tmp_path / "missing.rpt"), str(tmp_path))
    assert result.exit_code == 1
    assert result.output.count("RD004") == 3
    assert "iconv -f GBK" in result.output


def test_bom_and_crlf_are_accepted(write):
    assert run("check", write("\ufeff" + CLEAN.replace("\n", "\r\n"))).exit_code == 0


@pytest.mark.parametrize("text", ["", "report", "}{", "report \"x\" " + "(" * 50, "\x00\x01", "fact = = =", "part \"", "#"])
def test_no_traceback_for_junk(write, text):
    result = subprocess.run([sys.executable, "-m", "reportdsl", "check", write(text)], capture_output=True, text=True)
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stdout + result.stderr
    assert "RD000" not in result.stdout
