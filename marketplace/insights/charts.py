"""Charts drawn on the server as small SVG: a line, bars, and a tile map of the provinces.

No script: each function takes plain numbers and labels and returns SVG markup that scales
to its box (viewBox, width 100%), so it fits a 390 px phone. Every chart carries a <title>
for screen readers, and each page shows the same numbers in a table beside it.
"""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 360
SHADES = ("#e8f3ea", "#b9dcc0", "#82c093", "#4a9d63", "#256f3d")
NO_DATA = "#f1f1f1"
WITHHELD = "#d0d0d0"
INK = "#333"

#: (province, column, row) on a 9 × 8 grid, roughly where each lies on the map.
PROVINCE_TILES = (
    ("黑龙江省", 8, 0), ("吉林省", 8, 1), ("辽宁省", 7, 1), ("北京市", 6, 1), ("内蒙古自治区", 5, 1),
    ("新疆维吾尔自治区", 1, 1), ("甘肃省", 3, 2), ("宁夏回族自治区", 4, 2), ("山西省", 5, 2),
    ("河北省", 6, 2), ("天津市", 7, 2), ("西藏自治区", 1, 3), ("青海省", 2, 3), ("陕西省", 4, 3),
    ("河南省", 5, 3), ("山东省", 6, 3), ("四川省", 3, 4), ("重庆市", 4, 4), ("湖北省", 5, 4),
    ("安徽省", 6, 4), ("江苏省", 7, 4), ("上海市", 8, 4), ("云南省", 3, 5), ("贵州省", 4, 5),
    ("湖南省", 5, 5), ("江西省", 6, 5), ("浙江省", 7, 5), ("广西壮族自治区", 4, 6), ("广东省", 5, 6),
    ("福建省", 6, 6), ("海南省", 5, 7),
)


def short_province(name: str) -> str:
    """"浙江省" → "浙江", "广西壮族自治区" → "广西"; English names are kept as they are."""
    for long, short in (("内蒙古", "内蒙古"), ("广西", "广西"), ("西藏", "西藏"), ("宁夏", "宁夏"), ("新疆", "新疆")):
        if name.startswith(long):
            return short
    return name[:-1] if name.endswith(("省", "市")) else name


def _svg(height: int, title: str, body: list[str], css_class: str) -> Markup:
    return Markup(
        f'<svg class="chart {css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(body) + "</svg>")


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(title: str, labels: list[str], values: list[float | None], format_value=str) -> Markup:
    """A line over the months; a gap where a month has no (or a withheld) value."""
    height, left, right, top, bottom = 200, 84, 8, 10, 28
    known = [v for v in values if v is not None]
    ceiling = _nice_ceiling(max(known) if known else 0)
    span_x = (WIDTH - left - right) / max(len(values) - 1, 1)
    span_y = height - top - bottom

    def point(index: int, value: float) -> tuple[float, float]:
        return left + index * span_x, top + span_y * (1 - value / ceiling)

    body = [f'<line x1="{left}" y1="{top + span_y}" x2="{WIDTH - right}" y2="{top + span_y}" stroke="#999"/>']
    for fraction in (0, 0.5, 1):
        y = top + span_y * (1 - fraction)
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" fill="{INK}">'
                    f'{escape(format_value(ceiling * fraction))}</text>')
    step = max(1, len(labels) // 4)
    for index in range(0, len(labels), step):
        body.append(f'<text x="{left + index * span_x:.1f}" y="{height - 8}" text-anchor="middle" '
                    f'font-size="10" fill="{INK}">{escape(labels[index])}</text>')
    run: list[str] = []
    for index, value in enumerate(values + [None]):
        if value is not None:
            x, y = point(index, value)
            run.append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#256f3d">'
                        f'<title>{escape(labels[index])}: {escape(format_value(value))}</title></circle>')
        elif run:
            body.append(f'<polyline class="series" fill="none" stroke="#256f3d" stroke-width="2" '
                        f'points="{" ".join(run)}"/>')
            run = []
    return _svg(height, title, body, "line-chart")


def bar_chart(title: str, bars: list[tuple[str, float | None]], format_value=str) -> Markup:
    """Horizontal bars, largest first as given; a withheld value is drawn as a hatched stub."""
    row, label_width, value_width = 22, 110, 70
    height = max(row * len(bars) + 8, 30)
    known = [v for _, v in bars if v is not None]
    ceiling = max(known) if known and max(known) > 0 else 1
    span = WIDTH - label_width - value_width
    body = []
    for index, (label, value) in enumerate(bars):
        y = 4 + index * row
        body.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" font-size="11" fill="{INK}">'
                    f'{escape(label[:14])}</text>')
        if value is None:
            body.append(f'<rect class="bar withheld" x="{label_width}" y="{y + 3}" width="12" height="14" '
                        f'fill="{WITHHELD}"><title>{escape(label)}: —</title></rect>')
            shown = "—"
        else:
            width = max(span * value / ceiling, 1)
            body.append(f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{width:.1f}" height="14" '
                        f'fill="#4a9d63"><title>{escape(label)}: {escape(format_value(value))}</title></rect>')
            shown = format_value(value)
        body.append(f'<text x="{WIDTH - 2}" y="{y + 14}" text-anchor="end" font-size="11" fill="{INK}">'
                    f'{escape(shown)}</text>')
    return _svg(height, title, body, "bar-chart")


def shade_for(value: float | None, ceiling: float) -> str:
    if value is None:
        return NO_DATA
    if ceiling <= 0:
        return SHADES[0]
    return SHADES[min(int(len(SHADES) * value / ceiling), len(SHADES) - 1)]


def province_map(title: str, values: dict[str, float | None], labels: dict[str, str], withheld: set[str],
                 format_value=str) -> Markup:
    """A tile map: one square per province, shaded by its value (grey when withheld, pale when none)."""
    tile, gap = 38, 2
    height = 8 * (tile + gap) + 4
    known = [v for v in values.values() if v is not None]
    ceiling = max(known) if known else 0
    body = []
    for province, column, row in PROVINCE_TILES:
        x, y = column * (tile + gap) + 2, row * (tile + gap) + 2
        value = values.get(province)
        fill = WITHHELD if province in withheld else shade_for(value, ceiling)
        name = labels.get(province, province)
        shown = "—" if province in withheld or value is None else format_value(value)
        body.append(f'<g class="tile" data-province="{escape(province)}"><rect x="{x}" y="{y}" width="{tile}" '
                    f'height="{tile}" rx="3" fill="{fill}"><title>{escape(name)}: {escape(shown)}</title></rect>'
                    f'<text x="{x + tile / 2}" y="{y + tile / 2 + 4}" text-anchor="middle" font-size="10" '
                    f'fill="{INK if fill != SHADES[-1] else "#fff"}">{escape(short_province(name)[:4])}</text></g>')
    return _svg(height, title, body, "province-map")
