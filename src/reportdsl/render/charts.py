"""Charts drawn with matplotlib (imported only here, only when a chart is drawn).

Bar and pie geometry is computed by matplotlib in floats; every number printed on a chart is a
label already formatted in the document model, so no float reaches a published figure.
"""

from __future__ import annotations

import functools
import io

from .. import model

# Families tried in order; the first installed one draws the Chinese labels.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Serif SC",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "SimSun", "Microsoft YaHei",
                "AR PL UMing CN", "Droid Sans Fallback")
MISSING_FONT = ("no CJK font was found, so the charts' Chinese labels cannot be drawn; "
                "install one, e.g. the Debian package fonts-noto-cjk")
COLOURS = ("#3b6ea5", "#d9822b", "#6a9f58", "#b84a4a", "#8464a8", "#7f7f7f")


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    font = cjk_font()
    settings = {"font.family": [font] if font else ["DejaVu Sans"], "axes.unicode_minus": False,
                "svg.hashsalt": "reportdsl"}
    with matplotlib.rc_context(settings):
        figure = pyplot.figure(figsize=(6.4, 3.6), dpi=150)
    return figure, settings


def _bar(axes, chart: model.ChartModel) -> None:
    positions = range(len(chart.values))
    bars = axes.bar(positions, [float(v) for v in chart.values], width=0.5, color=COLOURS[0])
    axes.set_xticks(list(positions), chart.labels)
    axes.bar_label(bars, labels=list(chart.value_texts), padding=3)
    axes.set_ylabel(chart.unit)
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(y=0.15)


def _pie(axes, chart: model.ChartModel) -> None:
    """Slices of the positive values; a zero part has no slice (its label would sit on another's)."""
    shown = [(f"{label}\n{text}", float(value)) for label, text, value in zip(chart.labels, chart.value_texts, chart.values)
             if value > 0]
    labels = [label for label, _ in shown]
    sizes = [size for _, size in shown]
    if not sizes:
        axes.text(0.5, 0.5, "无数据", ha="center", va="center")
        axes.axis("off")
        return
    axes.pie(sizes, labels=labels, colors=COLOURS[: len(sizes)], startangle=90, counterclock=False,
             wedgeprops={"linewidth": 1, "edgecolor": "white"})
    axes.axis("equal")


def chart_png(chart: model.ChartModel) -> bytes:
    import matplotlib

    import warnings

    figure, settings = _figure()
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        # Without a CJK font matplotlib warns once per glyph; draw_charts says it once, in words.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        axes = figure.add_subplot(1, 1, 1)
        (_bar if chart.kind == "bar" else _pie)(axes, chart)
        axes.set_title(chart.title)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    from matplotlib import pyplot

    pyplot.close(figure)
    return buffer.getvalue()


def cjk_font_listed() -> bool:
    """Whether matplotlib's font list names a CJK family, read without importing matplotlib."""
    from .chart_cache import matplotlib_font_lists

    return any(f'"{family}"'.encode() in text for text in matplotlib_font_lists() for family in CJK_FAMILIES)


def draw_charts(document: model.Document, form: str = "png") -> tuple[dict[str, bytes], list[str]]:
    """The image of every chart by name (PNG drawn by matplotlib, or SVG written directly), taken from
    the chart cache when drawn before, and warnings (a missing CJK font, PNG only)."""
    from . import chart_cache
    from .svg_chart import chart_svg

    charts = [block for block in document.blocks if isinstance(block, model.ChartModel)]
    if not charts:
        return {}, []
    drawn: list[str] = []

    def draw(chart: model.ChartModel) -> bytes:
        drawn.append(chart.name)
        return chart_png(chart) if form == "png" else chart_svg(chart)

    images = {chart.name: chart_cache.cached(chart, form, draw) for chart in charts}
    if form != "png":
        return images, []
    has_font = cjk_font() is not None if drawn else cjk_font_listed()
    return images, [] if has_font else [MISSING_FONT]
