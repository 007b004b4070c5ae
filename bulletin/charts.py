"""Small SVG charts made at build time: no script, readable in print, with a text alternative.

Hand-written rather than a charting library: the charts are plain horizontal bars, a library would
add hundreds of kilobytes (or a JavaScript runtime) for what is a few rectangles, and inline SVG
prints crisply in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Sequence

from markupsafe import Markup, escape

# A narrow drawing with large text: on a 390 px phone it scales down least and stays readable.
WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR_HEIGHT, GAP, FONT = 520, 200, 112, 20, 8, 13
LABEL_CHARS = int(LABEL_WIDTH / (FONT * 0.55))


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal


def bar_chart(bars: Sequence[Bar], *, ident: str, title: str, description: str,
              fmt: Callable[[Decimal], str], color: str = "#005a8c") -> Markup:
    """A horizontal bar chart; bars are scaled on the largest value, each labelled with its value."""
    top = max((b.value for b in bars), default=Decimal(0))
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [f'<svg class="sr-chart" id="{escape(ident)}" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{escape(ident)}-t {escape(ident)}-d" xmlns="http://www.w3.org/2000/svg" '
             # The PDF engine draws SVG text with the SVG's own font, not the page's: name the shipped one.
             f'font-family="Lato, \'Helvetica Neue\', Arial, sans-serif">',
             f'<title id="{escape(ident)}-t">{escape(title)}</title>',
             f'<desc id="{escape(ident)}-d">{escape(description)}</desc>']
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = float(bar.value / top) * span if top else 0
        parts.append(
            f'<g><text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" font-size="{FONT}">'
            f'{escape(_clip(bar.label, LABEL_CHARS))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + BAR_HEIGHT - 6}" font-size="{FONT}">'
            f'{escape(fmt(bar.value))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"
