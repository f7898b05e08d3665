"""No lost work: a compile killed while it writes leaves the previous outputs whole and, once the
next run has passed, no temporary files; fmt rewrites atomically and never touches a broken file."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace(tmp_path):
    for name in ("hongshan_2023.rpt", "hongshan_2022.rpt"):
        shutil.copy(ROOT / "reports" / name, tmp_path / name)
    return tmp_path


def compile_command(workspace, out):
    return [sys.executable, "-m", "reportdsl", "compile", str(workspace / "hongshan_2023.rpt"), "--to", "docx",
            "-o", str(out)]


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def run(command):
    subprocess.run(command, check=True, capture_output=True)


def change_a_reason(workspace):
    path = workspace / "hongshan_2023.rpt"
    text = path.read_text(encoding="utf-8")
    assert "发放退休人员医疗补助" in text
    path.write_text(text.replace("发放退休人员医疗补助", "发放退休人员医疗补助和慰问金"), encoding="utf-8")


@pytest.mark.parametrize("kill_signal", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_compile_leaves_the_previous_output_whole(workspace, kill_signal):
    out = workspace / "out"
    command = compile_command(workspace, out)
    run(command)
    before = outputs(out)
    change_a_reason(workspace)
    run(compile_command(workspace, workspace / "expected"))
    after = outputs(workspace / "expected")
    assert before.keys() == after.keys() and before != after
    random.seed(7)
    for _ in range(6):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.2, 2.5))
        process.send_signal(kill_signal)
        process.wait()
        now = outputs(out)
        for name, data in now.items():
            if not name.startswith("."):
                assert data in (before[name], after[name]), f"{name} is half-written"
        temporaries = [name for name in now if name.endswith(".tmp")]
        if kill_signal == signal.SIGTERM:
            assert not temporaries
    run(command)
    assert outputs(out) == after  # and the next full run removes whatever a SIGKILL left


def test_fmt_rewrites_atomically_and_refuses_a_broken_file(workspace):
    path = workspace / "hongshan_2023.rpt"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  ", "\n   ", 3), encoding="utf-8")
    run([sys.executable, "-m", "reportdsl", "fmt", str(path)])
    assert path.read_bytes() == (ROOT / "reports" / "hongshan_2023.rpt").read_bytes()
    broken = path.read_text(encoding="utf-8") + "fact = = 1\n"
    path.write_text(broken, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "reportdsl", "fmt", str(path)], capture_output=True, text=True)
    assert result.returncode == 1 and "RD001" in result.stderr
    assert path.read_text(encoding="utf-8") == broken
    assert not [p for p in os.listdir(workspace) if p.endswith(".tmp")]
