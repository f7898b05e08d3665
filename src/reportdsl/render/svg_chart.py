"""Charts written as SVG text directly, for the outputs a browser or Markdown viewer shows (no matplotlib).

The reader's own fonts draw the Chinese labels, so no font has to be found here. Geometry is computed
in floats and printed with two decimals (the same bytes on every machine); every number printed on a
chart is a label already formatted in the document model, so no float reaches a published figure.
"""

from __future__ import annotations

import math
from html import escape

from .. import model

WIDTH, HEIGHT = 640, 360
COLOURS = ("#3b6ea5", "#d9822b", "#6a9f58", "#b84a4a", "#8464a8", "#7f7f7f")
FONTS = ("'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', 'PingFang SC', "
         "SimHei, sans-serif")


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(x: float, y: float, content: str, anchor: str = "middle", size: int = 12, extra: str = "") -> str:
    return (f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}"{extra}>'
            f"{escape(content)}</text>")


def chart_svg(chart: model.ChartModel) -> bytes:
    body = _bar(chart) if chart.kind == "bar" else _pie(chart)
    lines = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="{escape(FONTS)}">',
             f"<title>{escape(chart.title)}</title>",
             f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
             _text(WIDTH / 2, 28, chart.title, size=16),
             *body, "</svg>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _bar(chart: model.ChartModel) -> list[str]:
    left, right, top, bottom = 80.0, WIDTH - 30.0, 60.0, HEIGHT - 50.0
    values = [float(v) for v in chart.values]
    high, low = max([0.0, *values]), min([0.0, *values])
    span = (high - low) * 1.15 or 1.0
    scale = (bottom - top) / span
    zero = bottom - (0.0 - low * 1.15) * scale if low < 0 else bottom
    slot = (right - left) / max(len(values), 1)
    parts = [f'<line x1="{_n(left)}" y1="{_n(zero)}" x2="{_n(right)}" y2="{_n(zero)}" stroke="#333333"/>',
             f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}" stroke="#333333"/>',
             _text(24, (top + bottom) / 2, chart.unit, extra=f' transform="rotate(-90 24 {_n((top + bottom) / 2)})"')]
    for index, (label, text, value) in enumerate(zip(chart.labels, chart.value_texts, values)):
        centre = left + slot * (index + 0.5)
        height = abs(value) * scale
        y = zero - height if value >= 0 else zero
        parts.append(f'<rect x="{_n(centre - slot / 4)}" y="{_n(y)}" width="{_n(slot / 2)}" height="{_n(height)}" '
                     f'fill="{COLOURS[0]}"/>')
        parts.append(_text(centre, y - 6 if value >= 0 else y + height + 16, text))
        parts.append(_text(centre, bottom + 20, label))
    return parts


def _pie(chart: model.ChartModel) -> list[str]:
    """Slices of the positive values, clockwise from the top; a zero part has no slice."""
    shown = [(label, text, float(value)) for label, text, value in zip(chart.labels, chart.value_texts, chart.values)
             if value > 0]
    cx, cy, radius = WIDTH / 2, 195.0, 120.0
    if not shown:
        return [_text(cx, cy, "无数据", size=14)]
    total = sum(value for _, _, value in shown)
    if len(shown) == 1:
        label, text, _ = shown[0]
        return [f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius)}" fill="{COLOURS[0]}"/>',
                *_pie_label(cx, cy, radius, 0.0, label, text)]
    parts, start = [], 0.0
    for index, (label, text, value) in enumerate(shown):
        sweep = 2 * math.pi * value / total
        end = start + sweep
        x1, y1 = cx + radius * math.sin(start), cy - radius * math.cos(start)
        x2, y2 = cx + radius * math.sin(end), cy - radius * math.cos(end)
        large = 1 if sweep > math.pi else 0
        parts.append(f'<path d="M{_n(cx)},{_n(cy)} L{_n(x1)},{_n(y1)} A{_n(radius)},{_n(radius)} 0 {large} 1 '
                     f'{_n(x2)},{_n(y2)} Z" fill="{COLOURS[index % len(COLOURS)]}" stroke="#ffffff" stroke-width="1"/>')
        parts += _pie_label(cx, cy, radius, start + sweep / 2, label, text)
        start = end
    return parts


def _pie_label(cx: float, cy: float, radius: float, angle: float, label: str, text: str) -> list[str]:
    x, y = cx + radius * 1.18 * math.sin(angle), cy - radius * 1.18 * math.cos(angle)
    anchor = "start" if math.sin(angle) > 0.1 else "end" if math.sin(angle) < -0.1 else "middle"
    return [_text(x, y, label, anchor), _text(x, y + 15, text, anchor)]
