"""Drawn charts are kept in the user's cache folder: an unchanged chart is never drawn twice, a
changed one is drawn again, and a damaged cache entry is drawn again rather than trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportdsl.compiler import compile_text
from reportdsl.model import ChartModel
from reportdsl.outputs import build_outputs
from reportdsl.render import chart_cache, charts, svg_chart

REPORT = '''report "示例单位" year 2023 unit 万元
fact 收入 = 376.72
fact 收入@上年 = 447.20
part "一" {
  chart bar 图总计 "收入变动情况" { "2022 年": 收入@上年  "2023 年": 收入 }
}
'''


@pytest.fixture
def drawings(monkeypatch, tmp_path):
    """A private cache folder, and the list of charts actually drawn (PNG or SVG) in it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    drawn: list[str] = []
    real_png, real_svg = charts.chart_png, svg_chart.chart_svg

    def png(chart):
        drawn.append(f"png:{chart.name}")
        return real_png(chart)

    def svg(chart):
        drawn.append(f"svg:{chart.name}")
        return real_svg(chart)

    monkeypatch.setattr(charts, "chart_png", png)
    monkeypatch.setattr(svg_chart, "chart_svg", svg)
    return drawn


def outputs_of(text: str, target: str, out: Path) -> dict[Path, bytes]:
    result = compile_text(text, "r.rpt")
    assert not result.has_errors, [d.message for d in result.diagnostics]
    return build_outputs(result.document, "r", out, target).files


def test_a_second_compile_draws_nothing_and_writes_the_same_bytes(drawings, tmp_path):
    first = outputs_of(REPORT, "md", tmp_path)
    assert drawings == ["svg:图总计"]
    second = outputs_of(REPORT, "md", tmp_path)
    assert drawings == ["svg:图总计"]
    assert first == second and (tmp_path / "r_files" / "chart1.svg") in first


def test_word_charts_are_png_and_cached_too(drawings, tmp_path):
    first = outputs_of(REPORT, "docx", tmp_path)
    second = outputs_of(REPORT, "docx", tmp_path)
    assert drawings == ["png:图总计"]
    assert first == second


def test_a_changed_figure_is_drawn_again(drawings, tmp_path):
    outputs_of(REPORT, "md", tmp_path)
    changed = outputs_of(REPORT.replace("376.72", "380.00"), "md", tmp_path)
    assert drawings == ["svg:图总计", "svg:图总计"]
    assert b"380.00" in changed[tmp_path / "r_files" / "chart1.svg"]


def test_a_damaged_cache_entry_is_drawn_again_not_trusted(drawings, tmp_path):
    first = outputs_of(REPORT, "md", tmp_path)
    (entry,) = (tmp_path / "cache" / "reportdsl" / "charts").glob("*.chart")
    entry.write_bytes(entry.read_bytes()[:-20] + b"<script>x</script>!!")
    second = outputs_of(REPORT, "md", tmp_path)
    assert drawings == ["svg:图总计", "svg:图总计"]
    assert first == second


def test_the_key_depends_on_the_format_and_the_data():
    result = compile_text(REPORT, "r.rpt")
    (chart,) = [b for b in result.document.blocks if isinstance(b, ChartModel)]
    assert chart_cache.chart_key(chart, "svg") != chart_cache.chart_key(chart, "png")
    other = compile_text(REPORT.replace("447.20", "447.21"), "r.rpt").document
    (changed,) = [b for b in other.blocks if isinstance(b, ChartModel)]
    assert chart_cache.chart_key(chart, "svg") != chart_cache.chart_key(changed, "svg")


def test_svg_charts_carry_the_labels_escaped_and_no_float_noise():
    result = compile_text(REPORT.replace('"2022 年"', '"<上年>"'), "r.rpt")
    (chart,) = [b for b in result.document.blocks if isinstance(b, ChartModel)]
    svg = svg_chart.chart_svg(chart).decode("utf-8")
    assert "&lt;上年&gt;" in svg and "<上年>" not in svg
    assert "447.20" in svg and "376.72" in svg and "e-" not in svg
