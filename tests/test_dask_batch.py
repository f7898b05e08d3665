"""Batches on Dask distributed (the extra [dask]): a cluster started for the batch (--scheduler
local) and a running one named by its address, as a real cluster is (docs/scale.md)."""

import json
import logging
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reportdsl.cli import main
from test_batch import BROKEN, OK, WARN


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for index in range(3):
        (folder / f"ok{index}.rpt").write_text(OK.format(n=index), encoding="utf-8")
    (folder / "warn.rpt").write_text(WARN.format(n=9), encoding="utf-8")
    (folder / "broken.rpt").write_text(BROKEN.format(n=8), encoding="utf-8")
    return folder


def test_a_batch_on_a_local_dask_cluster_gives_each_report_in_order(reports, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "reportdsl", "compile", str(reports), "--to", "md", "-o", str(out),
                             "--format", "jsonl", "--scheduler", "local", "-j", "2"], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr  # broken.rpt has an error; the others are compiled
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    names = [line["path"].replace("\\", "/").rsplit("/", 1)[-1] for line in lines]
    assert names == ["broken.rpt", "ok0.rpt", "ok1.rpt", "ok2.rpt", "warn.rpt"]
    assert [line["status"] for line in lines] == ["errors", "ok", "ok", "ok", "warnings"]
    assert sorted(p.name for p in out.glob("*.md")) == ["ok0.md", "ok1.md", "ok2.md", "warn.md"]
    assert "5 report(s): 3 ok, 1 with warnings, 1 with errors" in result.stderr


def test_a_running_scheduler_is_used_by_its_address_for_compile_and_audit(reports, tmp_path):
    from distributed import LocalCluster

    (tmp_path / "not_a_disclosure.docx").write_bytes(b"not a zip")
    with LocalCluster(n_workers=1, processes=False, protocol="tcp://", host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster:
        address = cluster.scheduler_address
        compiled = CliRunner().invoke(main, ["compile", str(reports), "--to", "json", "-o", str(tmp_path / "out"),
                                             "--scheduler", address])
        audited = CliRunner().invoke(main, ["audit", str(tmp_path / "not_a_disclosure.docx"), str(reports / "ok0.rpt"),
                                            "--layout", "hubei", "--scheduler", address])
    assert compiled.exit_code == 1 and len(list((tmp_path / "out").glob("*.json"))) == 4, compiled.output
    assert "5 report(s): 3 ok, 1 with warnings, 1 with errors" in compiled.output
    assert audited.exit_code == 1 and "2 document" in audited.output, audited.output


def test_an_unreachable_scheduler_is_said_in_the_users_words(reports, tmp_path, monkeypatch):
    from reportdsl import dask_batch

    monkeypatch.setattr(dask_batch, "CONNECT_TIMEOUT", "1s")
    result = CliRunner().invoke(main, ["compile", str(reports), "--to", "md", "-o", str(tmp_path / "out"),
                                       "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
