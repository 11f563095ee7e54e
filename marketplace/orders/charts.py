"""Bar charts drawn on the server as SVG: no script, readable on a phone, printable."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT, BASELINE_PAD = 360, 160, 18


def bar_chart(rows, title: str, shown=str) -> Markup:
    """One bar per (label, value); negative values hang below the zero line."""
    values = [value for _, value in rows] or [0]
    top, bottom = max(max(values), 0), min(min(values), 0)
    span = (top - bottom) or 1
    plot = HEIGHT - BASELINE_PAD
    zero = plot * top / span
    width = WIDTH / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(rows):
        size = plot * abs(value) / span
        y = zero - size if value >= 0 else zero
        bars.append(f'<rect x="{index * width + 1:.1f}" y="{y:.1f}" width="{max(width - 2, 1):.1f}" '
                    f'height="{size:.1f}" class="{"bar" if value >= 0 else "bar negative"}">'
                    f'<title>{escape(label)}: {escape(shown(value))}</title></rect>')
    first = escape(rows[0][0]) if rows else ""
    last = escape(rows[-1][0]) if rows else ""
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="none" width="100%">'
        f'<line x1="0" x2="{WIDTH}" y1="{zero:.1f}" y2="{zero:.1f}" class="axis"/>{"".join(bars)}'
        f'<text x="0" y="{HEIGHT - 4}" class="tick">{first}</text>'
        f'<text x="{WIDTH}" y="{HEIGHT - 4}" text-anchor="end" class="tick">{last}</text></svg>')
