"""The status badge: a small flat SVG (label "api", value up/down/unknown), no external fonts or links."""

from __future__ import annotations

from xml.sax.saxutils import escape

_COLOURS = {"up": "#3fb950", "down": "#e5534b", "unknown": "#9e9e9e"}


def _width(text: str) -> int:
    return 7 * len(text) + 10  # Verdana 11px averages under 7 px a character


def badge_svg(*, label: str, state: str, uptime: float | None = None) -> str:
    value = state if uptime is None or state == "unknown" else f"{state} {uptime:g}%"
    label, value = escape(label[:40]), escape(value)
    left, right = _width(label), _width(value)
    total = left + right
    colour = _COLOURS.get(state, _COLOURS["unknown"])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{label}: {value}"><title>{label}: {value}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2}" y="14">{label}</text>'
        f'<text x="{left + right / 2}" y="14">{value}</text>'
        "</g></svg>"
    )
