"""Charts: accessible SVG for the web page, PNG (matplotlib, Agg backend) for the documents. Every chart carries a
text alternative listing its figures, and is always followed by its data table, so nothing is only in a picture.
Withheld figures are left out of the drawing and named as withheld in the text alternative."""

from __future__ import annotations

import io
from html import escape

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


def chart_png(data: ChartData, *, width_inches: float = 6.3) -> bytes:
    """``data`` drawn as a PNG for the documents (matplotlib's Agg canvas: no display, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    categories = list(data.categories)
    n_series = len(data.series)
    longest = max((len(c) for c in categories), default=4)
    if data.kind == ChartKind.LINE:
        figure = Figure(figsize=(width_inches, 2.8), dpi=100)
        axes = figure.add_axes((0.08, 0.14, 0.9, 0.72))
        for s, (name, values) in enumerate(data.series):
            points = [(i, v) for i, v in enumerate(values) if v is not None]
            if points:
                axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=PALETTE[s % 8], label=name)
        axes.set_xticks(range(len(categories)), categories, fontsize=7)
        axes.set_ylim(bottom=0)
    else:
        height = min(max(1.5, 0.26 * len(categories) * max(n_series, 1) + 0.7), 7.5)
        figure = Figure(figsize=(width_inches, height), dpi=100)
        # Room on the left for the category names, measured rather than laid out twice by tight_layout.
        left = min(0.06 + 0.0105 * min(longest, 40), 0.5)
        axes = figure.add_axes((left, 0.35 / height, 0.97 - left - 0.06, 1 - 0.75 / height))
        bar = 0.8 / max(n_series, 1)
        peak = max((v for _, values in data.series for v in values if v is not None), default=0) or 1
        for s, (name, values) in enumerate(data.series):
            positions = [i + s * bar for i in range(len(categories))]
            axes.barh(positions, [v or 0 for v in values], height=bar, color=PALETTE[s % 8], label=name)
            for y, v in zip(positions, values, strict=True):
                axes.text(
                    (v or 0) + peak * 0.01, y, "withheld" if v is None else format_number(v), va="center", fontsize=7
                )
        shown = [c if len(c) <= 40 else c[:39] + "…" for c in categories]
        axes.set_yticks([i + bar * (n_series - 1) / 2 for i in range(len(categories))], shown, fontsize=7)
        axes.set_xlim(0, peak * 1.12)
        axes.invert_yaxis()
    axes.set_title(data.title, fontsize=9)
    axes.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if n_series > 1:
        axes.legend(fontsize=7, frameon=False)
    buffer = io.BytesIO()
    # Fast compression: these pictures are small, and zlib at its default level costs more than drawing them.
    FigureCanvasAgg(figure).print_png(buffer, pil_kwargs={"compress_level": 1})  # type: ignore[no-untyped-call]
    return buffer.getvalue()
