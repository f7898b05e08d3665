"""`reportdsl preview`: the page in headless Chromium follows the files as they are saved."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import chromium_page
from helpers import assert_quick

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def preview(tmp_path):
    """A running `reportdsl preview` of a copy of the sample; yields (url, folder)."""
    for name in ("hongshan_2023.rpt", "hongshan_2022.rpt"):
        shutil.copy(ROOT / "reports" / name, tmp_path / name)
    process = subprocess.Popen([sys.executable, "-m", "reportdsl", "preview", "hongshan_2023.rpt"], cwd=tmp_path,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert found, line
        yield found.group(0), tmp_path
    finally:
        process.terminate()
        process.wait(timeout=10)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_page_is_served_on_the_loopback_address_only_and_refuses_other_hosts(preview):
    url, _ = preview
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers={"Host": "example.com"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403


def test_the_page_redraws_within_a_second_of_a_save_and_a_click_explains_a_figure(preview, tmp_path):
    url, folder = preview
    with chromium_page(tmp_path / "profile", width=1400, height=1000) as page:
        page.goto(url)
        assert page.locator("h1").inner_text() == "武汉市洪山区科学技术协会2023年度部门决算"
        assert page.locator("#problems-list li.warning").count() == 1

        saved = time.monotonic()
        edit(folder / "hongshan_2023.rpt", "开展学术交流，活跃学术思想", "开展学术交流与合作，活跃学术思想")
        page.wait_for_function("document.querySelector('main').innerText.includes('开展学术交流与合作')", timeout=5000)
        redrawn = time.monotonic() - saved
        print(f"\nredrawn {redrawn * 1000:.0f} ms after the save")
        assert_quick(redrawn, 1.0, "the redraw after a save")

        edit(folder / "hongshan_2022.rpt", "fact 收支总计                 = 447.20", "fact 收支总计                 = 447.30")
        page.wait_for_selector("#problems-list li.error", timeout=5000)  # the prior-year report is watched too
        problem = page.locator("#problems-list li.error").first
        assert "RD307" in problem.inner_text()
        link = problem.locator("a")
        assert link.inner_text().startswith("hongshan_2023.rpt:")
        assert link.get_attribute("href").startswith("vscode://file/") and "hongshan_2023.rpt:" in link.get_attribute("href")

        figure = page.locator("span.figure", has_text="376.72").first
        figure.click()
        page.wait_for_function("document.getElementById('explain-text').innerText.includes('收支总计')", timeout=5000)
        explained = page.locator("#explain-text").inner_text()
        assert "376.72" in explained and "hongshan_2023.rpt:" in explained
        page.screenshot(path=str(tmp_path / "preview.png"))
    assert (tmp_path / "preview.png").stat().st_size > 10_000


def test_a_layout_change_redraws_the_page(tmp_path):
    """A report on a layout file of its own: editing the layout redraws the page."""
    from reportdsl.editor.preview import Preview

    layout = (ROOT / "src/reportdsl/layouts/hubei.rpt").read_text(encoding="utf-8")
    (tmp_path / "mine.rpt").write_text(layout, encoding="utf-8")
    report = (ROOT / "reports/hongshan_2023.rpt").read_text(encoding="utf-8")
    report = report.replace("layout hubei", 'layout "mine.rpt"')
    (tmp_path / "r.rpt").write_text(report, encoding="utf-8")
    shutil.copy(ROOT / "reports/hongshan_2022.rpt", tmp_path / "hongshan_2022.rpt")
    preview = Preview(str(tmp_path / "r.rpt"))
    assert str(tmp_path / "mine.rpt") in preview.watched()
    assert not preview.refresh_if_changed()
    edit(tmp_path / "mine.rpt", "部门决算情况说明", "部门决算情况的说明")
    assert preview.refresh_if_changed() and preview.version == 1
    assert "部门决算情况的说明" in preview.state()["main"]
