"""Charts drawn on the server as inline SVG: no JavaScript, no library, themed by the page's CSS.

Shapes carry classes (`chart__bar--entries`, ...) that static/css/nexus.css colours for the
light and dark themes; every text is escaped. Each chart has a <title> and a <desc> and the
page shows the same numbers in a table, so the picture is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # modifier of chart__bar--<css> and chart__key--<css>
    values: Sequence[int]


TICKS = 4  # gridlines above zero


def _nice_step(value: int) -> int:
    """The smallest step of 1, 2, 3 or 5 × 10^n whose `TICKS` gridlines reach `value` (whole numbers)."""
    scale = 1
    while True:
        for m in (1, 2, 3, 5):
            if m * scale * TICKS >= value:
                return m * scale
        scale *= 10


def bar_chart(
    *, title: str, labels: Sequence[str], series: Sequence[Series], chart_id: str, height: int = 220
) -> SafeString:
    """Grouped vertical bars, one group per label, with a y axis of `TICKS` whole-number gridlines and a legend."""
    groups = len(labels)
    left, right, top, bottom = 36, 8, 28, 34
    group_width = 44
    width = left + right + max(groups, 1) * group_width
    plot_h = height - top - bottom
    step = _nice_step(max((v for s in series for v in s.values), default=0))
    peak = step * TICKS
    bar_w = (group_width - 12) / max(len(series), 1)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">'
        + escape(
            "; ".join(
                f"{label}: " + ", ".join(f"{s.values[i]} {s.name.lower()}" for s in series)
                for i, label in enumerate(labels)
            )
        )
        + "</desc>",
    ]
    for tick in range(TICKS + 1):
        value = step * tick
        y = top + plot_h - plot_h * tick / TICKS
        parts.append(f'<line class="chart__grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart__tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>')
    for i, label in enumerate(labels):
        x0 = left + i * group_width + 6
        for j, s in enumerate(series):
            value = s.values[i]
            h = plot_h * value / peak
            x = x0 + j * bar_w
            parts.append(
                f'<rect class="chart__bar chart__bar--{escape(s.css)}" x="{x:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{bar_w - 2:.1f}" height="{h:.1f}"><title>{escape(label)}: {value} '
                f"{escape(s.name.lower())}</title></rect>"
            )
        parts.append(
            f'<text class="chart__label" x="{x0 + (group_width - 12) / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    x = left
    for s in series:
        parts.append(f'<rect class="chart__key chart__bar--{escape(s.css)}" x="{x}" y="8" width="10" height="10"/>')
        parts.append(f'<text class="chart__legend" x="{x + 14}" y="17">{escape(s.name)}</text>')
        x += 14 + 8 * len(s.name) + 16
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
