"""Charts drawn server-side as inline SVG (DESIGN.md: charts drawn in the page, no CDN; government
intranets often have no internet): stacked horizontal bars (readable at phone width) and lines."""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from organizations.reporting import Chart

from .builders.common import vn_percent

COLORS = ["#0b4ea2", "#2e9e5b", "#f2b01e", "#d9534f", "#adb5bd", "#6f42c1", "#20c997"]
WIDTH = 600
BAR_H, ROW_H, LABEL_H = 18, 44, 20


def _legend(names: list[str]) -> str:
    items = "".join(
        format_html(
            '<span class="me-3 text-nowrap"><span class="d-inline-block rounded-1 me-1" '
            'style="width:.8rem;height:.8rem;background:{}"></span>{}</span>',
            COLORS[i % len(COLORS)],
            name,
        )
        for i, name in enumerate(names)
    )
    return f'<div class="small mt-1">{items}</div>'


def stacked_bars(chart: Chart) -> str:
    height = ROW_H * len(chart.labels) + 4
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" class="report-chart" '
        f'aria-label="{escape(chart.title)}">'
    ]
    for row, label in enumerate(chart.labels):
        y = row * ROW_H
        parts.append(format_html('<text x="0" y="{}" font-size="15">{}</text>', y + 14, label))
        x = 0.0
        for i, (name, values) in enumerate(chart.series):
            value = float(values[row] or 0)
            w = WIDTH * value / 100
            if w > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} — {}</title></rect>',
                        round(x, 2),
                        y + LABEL_H,
                        round(w, 2),
                        BAR_H,
                        COLORS[i % len(COLORS)],
                        label,
                        name,
                        vn_percent(value),
                    )
                )
            x += w
    parts.append("</svg>")
    return "".join(parts) + _legend([name for name, _ in chart.series])


def lines(chart: Chart) -> str:
    height, pad_l, pad_r, pad_b, pad_t = 260, 44, 30, 28, 10  # room for "100%" and the last year
    plot_w, plot_h = WIDTH - pad_l - pad_r, height - pad_b - pad_t
    top = 100.0 if any(v > 50 for _, vs in chart.series for v in vs) else 50.0
    n = max(len(chart.labels) - 1, 1)

    def xy(i, v):
        return round(pad_l + plot_w * i / n, 2), round(pad_t + plot_h * (1 - float(v) / top), 2)

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" class="report-chart" '
        f'aria-label="{escape(chart.title)}">'
    ]
    for tick in range(0, int(top) + 1, int(top) // 5):
        _, y = xy(0, tick)
        parts.append(
            f'<line x1="{pad_l}" x2="{WIDTH - pad_r}" y1="{y}" y2="{y}" stroke="#dee2e6"/>'
            f'<text x="{pad_l - 4}" y="{y + 4}" font-size="14" text-anchor="end">{tick}%</text>'
        )
    for i, label in enumerate(chart.labels):
        x, _ = xy(i, 0)
        parts.append(
            format_html('<text x="{}" y="{}" font-size="15" text-anchor="middle">{}</text>', x, height - 6, label)
        )
    for s, (name, values) in enumerate(chart.series):
        color = COLORS[s % len(COLORS)]
        points = " ".join(f"{x},{y}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{points}"/>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="{}"><title>{} {}: {}</title></circle>',
                    x,
                    y,
                    color,
                    name,
                    chart.labels[i],
                    vn_percent(float(v)),
                )
            )
    parts.append("</svg>")
    return "".join(parts) + _legend([name for name, _ in chart.series])


def render_chart(chart: Chart) -> dict:
    svg = stacked_bars(chart) if chart.kind == "stacked-bar" else lines(chart)
    return {"title": chart.title, "svg": SafeString(mark_safe(svg))}  # noqa: S308 - every text part escaped above
