import re

from organizations.reporting import Chart
from reports.charts import WIDTH, render_chart


def test_stacked_bars_fill_the_width_and_escape_unit_names():
    chart = Chart(
        kind="stacked-bar",
        title="Thử",
        labels=["<script>alert(1)</script>", "Chi đoàn B"],
        series=[("Tốt", [50.0, 20.0]), ("Khá", [50.0, 80.0])],
    )
    svg = str(render_chart(chart)["svg"])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)]
    assert sum(widths) == 2 * WIDTH
    assert "Chi đoàn B: Khá — 80,0%" in svg


def test_lines_draw_one_polyline_per_series_with_vietnamese_rates():
    chart = Chart(
        kind="line",
        title="Xu hướng",
        labels=["2024", "2025"],
        series=[("Chi đoàn", [18.1, 20.4]), ("Đoàn viên", [25.0, 27.7])],
    )
    svg = str(render_chart(chart)["svg"])
    assert svg.count("<polyline") == 2 and "Chi đoàn 2025: 20,4%" in svg
