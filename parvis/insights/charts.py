"""Bar charts as inline SVG, drawn on the server: the same markup on the page, in
print and in the PDF (WeasyPrint draws SVG). Every bar carries its value written
beside it, so no information depends on colour or length alone; a chart is an image
with a title for screen readers, and the page shows its data table beside it."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

LABEL_WIDTH = 230
BAR_WIDTH = 300
VALUE_WIDTH = 80
ROW_HEIGHT = 26
BAR_HEIGHT = 16
DEFAULT_BAR_COLOR = "#1f4e79"
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no figure ("n. d." written, no bar)
    shown: str  # the value as written beside the bar


def percent(value: float | None) -> str:
    """0.256 -> "25,6 %" (French decimals, non-breaking space); None -> "n. d."."""
    if value is None:
        return "n. d."
    return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: float | None = None,
    color: str = DEFAULT_BAR_COLOR,
) -> SafeString:
    """Horizontal bars scaled to `maximum` (default: the largest value, or 1), in
    `color` (a hex colour; on the page the stylesheet's brand colour wins). The
    colours are presentation attributes too: PDF renderers draw inline SVG without
    the page's stylesheet."""
    if not HEX_COLOR.match(color):
        color = DEFAULT_BAR_COLOR
    top = maximum or max((bar.value or 0 for bar in bars), default=0) or 1
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * len(bars) + 8
    rows = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="chart__label" '
        'fill="#1a1a1a" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart__bar" fill="{}">'
        "</rect>"
        '<text x="{}" y="{}" class="chart__value" fill="#1a1a1a" font-size="13">{}'
        "</text>",
        (
            (
                LABEL_WIDTH - 8,
                index * ROW_HEIGHT + 18,
                bar.label,
                LABEL_WIDTH,
                index * ROW_HEIGHT + 5,
                f"{max(0.0, min(1.0, (bar.value or 0) / top)) * BAR_WIDTH:.1f}",
                BAR_HEIGHT,
                color,
                LABEL_WIDTH + (bar.value or 0) / top * BAR_WIDTH + 6
                if bar.value is not None and bar.value <= top
                else LABEL_WIDTH + 6,
                index * ROW_HEIGHT + 18,
                bar.shown,
            )
            for index, bar in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        width,
        height,
        title,
        rows,
    )
