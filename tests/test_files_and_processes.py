"""Files and processes (issue 11): only the report's folder and --allow-path are read, only regular
files, batch outputs never overwrite each other, workers die with their parent, parallel compiles keep
their own temporaries, and the user's I/O faults are said in the user's words."""

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportdsl.atomic_write import write_all_atomic
from reportdsl.batch import Options, compile_one
from template_samples import billion_laughs, zip_bomb

REPORT = 'report "示例" year 2023 unit 万元\nfact a = 1\npart "p" { para "合计 {a} 万元" }\n'


def run(*arguments, cwd=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "reportdsl", *arguments], capture_output=True, text=True,
                          cwd=cwd, timeout=timeout)


def write(path: Path, text: str = REPORT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def said(completed) -> str:
    return completed.stdout + completed.stderr


# ---- what may be read -----------------------------------------------------------------------------


def test_the_working_folder_is_not_allowed_by_default(tmp_path):
    write(tmp_path / "secret" / "last.rpt", REPORT.replace("2023", "2022"))
    report = write(tmp_path / "reports" / "r.rpt", REPORT.replace('unit 万元', 'unit 万元 prior "../secret/last.rpt"'))
    refused = run("check", str(report), cwd=tmp_path)
    assert refused.returncode == 1 and "RD005" in said(refused) and "--allow-path" in said(refused)
    allowed = run("check", str(report), "--allow-path", str(tmp_path / "secret"), cwd=tmp_path)
    assert allowed.returncode == 0, said(allowed)


def test_run_from_the_root_a_system_file_is_neither_read_nor_quoted(tmp_path):
    report = write(tmp_path / "r.rpt", REPORT.replace('unit 万元', 'unit 万元 prior "/etc/hostname"'))
    completed = run("check", str(report), cwd="/")
    assert completed.returncode == 1 and "RD005" in said(completed)
    hostname = Path("/etc/hostname").read_text().split()[0] if Path("/etc/hostname").exists() else "\0"
    assert hostname not in said(completed).replace(str(tmp_path), "")


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.rpt"
    os.mkfifo(path)
    return path


def test_a_fifo_named_as_a_report_is_refused_at_once(fifo):
    completed = run("check", str(fifo), timeout=60)
    assert completed.returncode == 1 and "RD004" in said(completed) and "named pipe" in said(completed)


def test_a_batch_over_a_folder_with_a_fifo_finishes(tmp_path, fifo):
    write(tmp_path / "good.rpt")
    completed = run("compile", str(tmp_path), "--to", "md", "-o", str(tmp_path / "out"), timeout=120)
    assert completed.returncode == 1 and "named pipe" in said(completed)
    assert (tmp_path / "out" / "good.md").exists()


def test_a_fifo_as_the_prior_year_is_refused_at_once(tmp_path, fifo):
    report = write(tmp_path / "r.rpt", REPORT.replace('unit 万元', 'unit 万元 prior "pipe.rpt"'))
    completed = run("check", str(report), timeout=60)
    assert completed.returncode == 1 and "RD005" in said(completed) and "named pipe" in said(completed)


def test_a_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "zero.rpt"
    link.symlink_to("/dev/zero")
    completed = run("check", str(link), timeout=60)
    assert completed.returncode == 1 and "RD004" in said(completed) and "device" in said(completed)
    assert "MemoryError" not in said(completed)


def test_a_template_that_is_a_fifo_is_refused(tmp_path):
    report = write(tmp_path / "r.rpt")
    os.mkfifo(tmp_path / "t.docx")
    completed = run("compile", str(report), "--template", str(tmp_path / "t.docx"), "-o", str(tmp_path / "o"), timeout=60)
    assert completed.returncode == 1 and "named pipe" in said(completed) and not (tmp_path / "o").exists()


# ---- batches and processes ---------------------------------------------------------------------------


def test_reports_of_the_same_name_in_two_folders_are_both_refused(tmp_path):
    first, second = write(tmp_path / "a" / "report.rpt"), write(tmp_path / "b" / "report.rpt")
    completed = run("compile", str(first), str(second), "--to", "md", "-o", str(tmp_path / "out"))
    assert completed.returncode == 1
    assert f"same names as those of {second}" in said(completed) and f"same names as those of {first}" in said(completed)
    assert "2 with errors" in said(completed) and not (tmp_path / "out").exists()


def test_the_same_report_named_twice_is_compiled_once(tmp_path):
    report = write(tmp_path / "r.rpt")
    completed = run("compile", str(report), str(tmp_path / "." / "r.rpt"), "--to", "md", "-o", str(tmp_path / "o"))
    assert completed.returncode == 0, said(completed)


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_batch_killed_outright(tmp_path):
    for index in range(200):
        write(tmp_path / "in" / f"r{index:03}.rpt")
    batch = subprocess.Popen([sys.executable, "-m", "reportdsl", "compile", str(tmp_path / "in"), "-j", "2",
                              "--to", "md", "-o", str(tmp_path / "out")], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and batch.poll() is None:
        workers = children(batch.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the batch never started its workers"
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def test_a_compile_leaves_the_temporaries_of_another_running_compile_alone(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        theirs = tmp_path / f".r.md.{other.pid}.abc123.tmp"
        theirs.write_bytes(b"being written by the other compile")
        dead = tmp_path / ".r.md.999999999.dead00.tmp"
        dead.write_bytes(b"left by a killed compile")
        write_all_atomic({tmp_path / "r.md": b"mine"})
        assert theirs.exists() and not dead.exists() and (tmp_path / "r.md").read_bytes() == b"mine"
    finally:
        other.kill()
        other.wait()


def test_parallel_compiles_into_one_folder_never_fail(tmp_path):
    report = write(tmp_path / "r.rpt")
    command = [sys.executable, "-m", "reportdsl", "compile", str(report), "--to", "md", "-o", str(tmp_path / "o")]
    for _ in range(4):
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
        for process in runs:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, err


# ---- the user's I/O faults -----------------------------------------------------------------------------


def outcome(tmp_path, output_dir, **options):
    report = write(tmp_path / "r.rpt")
    settings = dict(target="md", output_dir=str(output_dir), template=None, charts=False, allow_path=())
    settings.update(options)
    return compile_one(str(report), Options(**settings))


def assert_users_fault(result, *words):
    assert result.status == "errors" and "internal" not in result.line and "bug" not in result.line
    for word in words:
        assert word in result.line, result.line


def test_a_full_disk_is_said_in_words(tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "r.md").write_bytes(b"previous")

    def full(_descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert_users_fault(outcome(tmp_path, tmp_path / "out"), "No space left on device", "nothing written")
    assert (tmp_path / "out" / "r.md").read_bytes() == b"previous"
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_a_folder_that_cannot_be_written_is_said_in_words(tmp_path, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert_users_fault(outcome(tmp_path, tmp_path / "out"), "Permission denied")


def mount_tmpfs(folder: Path, options: str) -> bool:
    folder.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


@pytest.mark.parametrize("options,words", [("size=16k", "No space left on device"), ("ro", "Read-only file system")])
def test_a_real_full_or_read_only_folder_is_said_in_words(tmp_path, options, words):
    folder = tmp_path / "mounted"
    if not mount_tmpfs(folder, options):
        pytest.skip("cannot mount a tmpfs here (needs root); the fault-injection tests above cover it")
    try:
        long_report = REPORT.replace('"合计 {a} 万元"', '"' + "合计 {a} 万元。" * 4000 + '"')
        result = compile_one(str(write(tmp_path / "r.rpt", long_report)),
                             Options("md", str(folder), None, False, ()))
        assert_users_fault(result, words)
        assert not list(folder.glob(".*.tmp"))
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_an_output_folder_inside_a_file_is_said_in_words(tmp_path):
    (tmp_path / "file").write_text("x")
    assert_users_fault(outcome(tmp_path, tmp_path / "file" / "sub"), "Not a directory")


def test_an_output_name_taken_by_a_folder_is_said_in_words(tmp_path):
    (tmp_path / "out" / "r.md").mkdir(parents=True)
    assert_users_fault(outcome(tmp_path, tmp_path / "out"), "Is a directory")
    assert not list((tmp_path / "out").glob(".*.tmp"))


@pytest.mark.parametrize("template,words", [
    (lambda: b"not a zip", "not a zip archive"),
    (zip_bomb, "zip bomb"),
    (billion_laughs, "DTD or XML entities"),
], ids=["not a zip", "zip bomb", "billion laughs"])
def test_a_template_that_is_not_a_word_file_is_said_in_words(tmp_path, template, words):
    assert_users_fault(outcome(tmp_path, tmp_path / "out", target="docx", template=template()), words)
    assert not (tmp_path / "out").exists()
