"""Charts: accessible SVG for the web page, PNG (drawn with Pillow) for the documents. Every chart carries a
text alternative listing its figures, and is always followed by its data table, so nothing is only in a picture.
Withheld figures are left out of the drawing and named as withheld in the text alternative."""

from __future__ import annotations

import functools
import io
import math
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from opencomplaints.reporting.metrics.table import ChartKind
from opencomplaints.reporting.narrative import format_number
from opencomplaints.reporting.renderers.common import ChartData

__all__ = ["PALETTE", "chart_png", "chart_svg"]

#: GOV.UK Design System colours, in an order that keeps neighbours distinguishable.
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#912b88", "#d4351c", "#28a197", "#505a5f", "#b58840")
_WIDTH = 640
_LABEL = 230
_ROW = 18


def _bars_svg(data: ChartData, ident: str) -> str:
    n_series = len(data.series)
    group = _ROW * n_series + 8
    legend = 22 if n_series > 1 else 0
    height = legend + group * len(data.categories) + 10
    peak = max((v for _, values in data.series for v in values if v is not None), default=0) or 1
    plot = _WIDTH - _LABEL - 50
    parts = []
    if n_series > 1:
        x = _LABEL
        for s, (name, _) in enumerate(data.series):
            parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[s % len(PALETTE)]}"/>')
            parts.append(f'<text x="{x + 16}" y="15" class="app-chart__legend">{escape(name)}</text>')
            x += 24 + 7 * len(name)
    for c, category in enumerate(data.categories):
        top = legend + c * group
        short = category if len(category) <= 34 else category[:33] + "…"
        parts.append(
            f'<text x="{_LABEL - 6}" y="{top + group / 2 + 2:.0f}" text-anchor="end" class="app-chart__label">'
            f"{escape(short)}</text>"
        )
        for s, (_, values) in enumerate(data.series):
            value = values[c]
            y = top + s * _ROW + 4
            if value is None:
                parts.append(f'<text x="{_LABEL + 4}" y="{y + 12}" class="app-chart__value">withheld</text>')
                continue
            width = max(value / peak * plot, 0)
            parts.append(
                f'<rect x="{_LABEL}" y="{y}" width="{width:.1f}" height="{_ROW - 4}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            parts.append(
                f'<text x="{_LABEL + width + 4:.1f}" y="{y + 12}" class="app-chart__value">'
                f"{format_number(value)}</text>"
            )
    return _svg(data, ident, height, "".join(parts))


def _line_svg(data: ChartData, ident: str) -> str:
    height, left, right, top, bottom = 300, 50, 20, 30, 40
    plot_w, plot_h = _WIDTH - left - right, height - top - bottom
    values = [v for _, vs in data.series for v in vs if v is not None]
    peak = max(values, default=0) or 1
    steps = max(len(data.categories) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / steps, top + plot_h * (1 - v / peak)

    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#505a5f"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" class="app-chart__value">{format_number(peak)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" class="app-chart__value">0</text>',
    ]
    for i, category in enumerate(data.categories):
        x, _ = xy(i, 0)
        parts.append(
            f'<text x="{x:.1f}" y="{height - 18}" text-anchor="middle" class="app-chart__label">'
            f"{escape(category)}</text>"
        )
    legend_x = left
    for s, (name, series) in enumerate(data.series):
        colour = PALETTE[s % len(PALETTE)]
        points = [xy(i, v) for i, v in enumerate(series) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points)
        parts.append(f'<rect x="{legend_x}" y="6" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 16}" y="17" class="app-chart__legend">{escape(name)}</text>')
        legend_x += 26 + 7 * len(name)
    return _svg(data, ident, height, "".join(parts))


def _svg(data: ChartData, ident: str, height: float, body: str) -> str:
    return (
        f'<svg class="app-chart" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {_WIDTH} {height:.0f}" width="100%" font-family="Arial, sans-serif" font-size="12" '
        f'fill="#0b0c0c" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(data.title)}</title><desc id="{ident}-desc">{escape(data.alt_text)}</desc>'
        f"{body}</svg>"
    )


def chart_svg(data: ChartData, ident: str) -> str:
    """An accessible inline SVG of ``data``: ``role="img"`` with a title and a description giving every figure."""
    if data.kind == ChartKind.LINE:
        return _line_svg(data, ident)
    return _bars_svg(data, ident)


_DPI = 150  # pixels per inch: sharp enough in print (the documents scale the pictures to the page width)
_INK = (11, 12, 12)  # GOV.UK text colour
_AXIS = (80, 90, 95)


def _colour(index: int) -> tuple[int, int, int]:
    code = PALETTE[index % len(PALETTE)]
    return int(code[1:3], 16), int(code[3:5], 16), int(code[5:7], 16)


_FONT = Path(__file__).with_name("fonts") / "DejaVuSans.ttf"


@functools.cache
def _font(points: float) -> ImageFont.FreeTypeFont:
    # DejaVu Sans (Bitstream Vera licence, fonts/LICENSE-DejaVu.txt) is kept beside this module, so drawing a chart
    # needs no plotting library for its font.
    return ImageFont.truetype(str(_FONT), size=round(points * _DPI / 72))


def _text_width(text: str, font: ImageFont.FreeTypeFont) -> float:
    return font.getlength(text)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend_rows(data: ChartData, left: float, width: int) -> list[list[tuple[float, str, int]]]:
    """The legend's entries as rows of (x, name, series), wrapped within the picture's width."""
    if len(data.series) < 2:
        return []
    font = _font(7)
    rows: list[list[tuple[float, str, int]]] = [[]]
    x = left
    for s, (name, _) in enumerate(data.series):
        entry = font.size * 2.4 + _text_width(name, font)
        if rows[-1] and x + entry > width - font.size:
            rows.append([])
            x = left
        rows[-1].append((x, name, s))
        x += entry
    return rows


def _legend(draw: ImageDraw.ImageDraw, rows: list[list[tuple[float, str, int]]], top: float) -> None:
    font = _font(7)
    swatch = font.size
    for r, entries in enumerate(rows):
        y = top + r * swatch * 1.6
        for x, name, s in entries:
            draw.rectangle((x, y, x + swatch, y + swatch), fill=_colour(s))
            draw.text((x + swatch * 1.4, y + swatch / 2), name, font=font, fill=_INK, anchor="lm")


def _nice(peak: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``peak``: the top of a scale."""
    if peak <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(peak))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= peak)


def _bars_png(data: ChartData, width: int) -> Image.Image:
    categories = [_short(c) for c in data.categories]
    n_series = max(len(data.series), 1)
    label_font, title_font = _font(7), _font(9)
    row = label_font.size * 1.5  # one bar's height with its gap
    group = row * n_series + label_font.size
    legend = _legend_rows(data, width * 0.05, width)
    top = title_font.size * 2 + len(legend) * label_font.size * 1.6
    height = int(top + group * len(categories) + label_font.size)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width / 2, title_font.size * 0.9), data.title, font=title_font, fill=_INK, anchor="mm")
    _legend(draw, legend, title_font.size * 1.8)
    left = min(max((_text_width(c, label_font) for c in categories), default=0) + label_font.size, width * 0.5)
    peak = max((v for _, values in data.series for v in values if v is not None), default=0) or 1
    plot = width - left - label_font.size * 6  # room for the longest figure after the longest bar
    draw.line((left, top, left, height - label_font.size / 2), fill=_AXIS, width=2)
    for c, category in enumerate(categories):
        y0 = top + c * group + label_font.size / 2
        draw.text(
            (left - label_font.size / 2, y0 + row * n_series / 2), category, font=label_font, fill=_INK, anchor="rm"
        )
        for s, (_, values) in enumerate(data.series):
            value = values[c]
            y = y0 + s * row
            length = 0.0 if value is None else max(value / peak * plot, 0)
            if length:
                draw.rectangle((left, y + row * 0.1, left + length, y + row * 0.9), fill=_colour(s))
            shown = "withheld" if value is None else format_number(value)
            draw.text(
                (left + length + label_font.size / 3, y + row / 2), shown, font=label_font, fill=_INK, anchor="lm"
            )
    return image


def _line_png(data: ChartData, width: int) -> Image.Image:
    label_font, title_font = _font(7), _font(9)
    height = int(2.8 * _DPI)
    values = [v for _, vs in data.series for v in vs if v is not None]
    peak = _nice(max(values, default=0))
    scale = [format_number(peak * fraction) for fraction in (0.0, 0.5, 1.0)]
    categories = list(data.categories)
    # Room for the scale on the left, and for half of the first and last year's label either side.
    edge = [_text_width(c, label_font) / 2 for c in categories[:1] + categories[-1:]] or [0.0, 0.0]
    left = max(max(_text_width(t, label_font) for t in scale) + label_font.size * 0.6, edge[0]) + label_font.size / 2
    right = width - max(edge[-1], label_font.size) - label_font.size / 2
    legend = _legend_rows(data, left, width)
    top = title_font.size * 2 + len(legend) * label_font.size * 1.6
    bottom = height - label_font.size * 2.2
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width / 2, title_font.size * 0.9), data.title, font=title_font, fill=_INK, anchor="mm")
    _legend(draw, legend, title_font.size * 1.8)
    for fraction, text in zip((0.0, 0.5, 1.0), scale, strict=True):
        y = bottom - (bottom - top) * fraction
        draw.text((left - label_font.size * 0.4, y), text, font=label_font, fill=_INK, anchor="rm")
        if fraction:
            draw.line((left, y, right, y), fill=(222, 224, 226), width=1)
    draw.line((left, bottom, right, bottom), fill=_AXIS, width=2)
    draw.line((left, top, left, bottom), fill=_AXIS, width=2)
    steps = max(len(categories) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + (right - left) * i / steps, bottom - (bottom - top) * v / peak

    for i, category in enumerate(categories):
        draw.text((xy(i, 0)[0], bottom + label_font.size * 0.4), category, font=label_font, fill=_INK, anchor="ma")
    radius = label_font.size / 4
    for s, (_, series) in enumerate(data.series):
        points = [xy(i, v) for i, v in enumerate(series) if v is not None]
        if len(points) > 1:
            draw.line(points, fill=_colour(s), width=3, joint="curve")
        for x, y in points:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_colour(s))
    return image


def chart_png(data: ChartData, *, width_inches: float = 6.3) -> bytes:
    """``data`` drawn as a PNG for the documents, with the same layout as the page's SVG: bars labelled with
    their figures (a withheld figure is named as withheld), lines over the years with a scale. Drawn with Pillow,
    which takes a few milliseconds a chart where matplotlib took some tens: a report draws eight."""
    width = int(width_inches * _DPI)
    image = _line_png(data, width) if data.kind == ChartKind.LINE else _bars_png(data, width)
    buffer = io.BytesIO()
    # Fast compression: these pictures are small, and zlib at its default level costs more than drawing them.
    image.save(buffer, format="PNG", compress_level=1, dpi=(_DPI, _DPI))
    return buffer.getvalue()
