"""Small SVG charts made at build time: no script, readable in print, with a text alternative.

Hand-written rather than a charting library: the charts are plain horizontal bars, a library would
add hundreds of kilobytes (or a JavaScript runtime) for what is a few rectangles, and inline SVG
prints crisply in the PDF.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

# A narrow drawing with large text: on a 390 px phone it scales down least and stays readable.
WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR_HEIGHT, GAP, FONT = 520, 200, 112, 20, 8, 13
LINE_HEIGHT = FONT + 2  # a long label wraps on several lines (never cut); its row grows to hold them


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: Decimal


def bar_chart(
    bars: Sequence[Bar],
    *,
    ident: str,
    title: str,
    description: str,
    fmt: Callable[[Decimal], str],
    color: str = "#005a8c",
    label_width: int = LABEL_WIDTH,
) -> Markup:
    """A horizontal bar chart; bars are scaled on the largest value, each labelled with its value.

    label_width: the part of the drawing's width given to the labels (wider for long labels)."""
    top = max((b.value for b in bars), default=Decimal(0))
    span = WIDTH - label_width - VALUE_WIDTH
    labels = [_wrap(b.label, int(label_width / (FONT * 0.55))) for b in bars]
    rows = [max(BAR_HEIGHT, len(lines) * LINE_HEIGHT) for lines in labels]
    height = sum(rows) + len(bars) * GAP + GAP
    parts = [
        f'<svg class="sr-chart" id="{escape(ident)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(ident)}-t {escape(ident)}-d" xmlns="http://www.w3.org/2000/svg" '
        # The PDF engine draws SVG text with the SVG's own font, not the page's: name the shipped one.
        f"font-family=\"Lato, 'Helvetica Neue', Arial, sans-serif\">",
        f'<title id="{escape(ident)}-t">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-d">{escape(description)}</desc>',
    ]
    row_top = GAP
    for bar, lines, row in zip(bars, labels, rows):
        y = row_top + (row - BAR_HEIGHT) // 2  # the bar sits in the middle of its row
        row_top += row + GAP
        length = float(bar.value / top) * span if top else 0
        first = y + BAR_HEIGHT - 6 - (len(lines) - 1) * LINE_HEIGHT / 2
        label = (
            "".join(
                f'<tspan x="{label_width - 8}" y="{first + k * LINE_HEIGHT:g}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            if len(lines) > 1
            else escape(lines[0])
        )
        parts.append(
            f'<g><text x="{label_width - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" font-size="{FONT}">'
            f"{label}</text>"
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{color}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + BAR_HEIGHT - 6}" font-size="{FONT}">'
            f"{escape(fmt(bar.value))}</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _wrap(text: str, size: int) -> list[str]:
    """A label in lines of at most size characters, broken between words only (a longer word keeps its line)."""
    return textwrap.wrap(text, size, break_long_words=False, break_on_hyphens=False) or [""]


def bar_list(
    bars: Sequence[Bar],
    *,
    ident: str,
    title: str,
    description: str,
    fmt: Callable[[Decimal], str],
    color: str = "#005a8c",
    label_width: int = LABEL_WIDTH,
) -> Markup:
    """The web edition of bar_chart: labels and values as HTML text, only the bars drawn.

    An SVG drawing scales its text with its width: on a 390 px phone, 13 units became 9 px and long
    labels were cut. Here the text is the page's own (never below the body size, wrapping as the page
    does, values never clipped); each bar is a one-rectangle SVG, because the Content Security Policy
    forbids the inline `style` a CSS width would need. Same arguments as bar_chart (label_width is for
    print only). The description is the list itself, so it is not repeated."""
    del description, label_width
    top = max((b.value for b in bars), default=Decimal(0))
    rows = []
    for bar in bars:
        length = float(bar.value / top) * 100 if top else 0
        rows.append(
            f'<li><span class="sr-bars-label">{escape(bar.label)}</span>'
            f'<span class="sr-bars-value">{escape(fmt(bar.value))}</span>'
            f'<svg class="sr-bars-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
            f'focusable="false"><rect width="{length:.1f}" height="10" fill="{escape(color)}"/></svg></li>'
        )
    return Markup(
        f'<div class="sr-bars" id="{escape(ident)}"><p class="sr-bars-title" id="{escape(ident)}-t">'
        f'{escape(title)}</p><ul aria-labelledby="{escape(ident)}-t">{"".join(rows)}</ul></div>'
    )
