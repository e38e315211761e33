from decimal import Decimal

from evaluations.recognition import reporting


def test_it_counts_registrations_and_recognitions_per_child_unit(flow, campaign, tree, users):
    flow.decided()
    progress = []
    data = reporting.build(root=tree.province, year=campaign.year, progress=progress.append)
    assert progress[0] == 0 and progress[-1] == 100
    table = data.tables[0]
    by_code = {row[0]: row for row in table.rows}
    # district: 1 cơ sở, registered and recognised; the đoàn trực thuộc: not registered
    assert by_code[tree.district.code][1:] == [
        tree.district.name,
        1,
        1,
        Decimal("100.0"),
        1,
        0,
        0,
        Decimal("100.0"),
        Decimal("100.0"),
    ]
    assert by_code[tree.direct.code][1:4] == [tree.direct.name, 1, 0]
    assert table.total[:4] == ["", "Tổng cộng", 2, 1] and table.total[4] == Decimal("50.0")
    for col in (2, 3, 5, 6, 7):  # the totals row adds up
        assert table.total[col] == sum(r[col] for r in table.rows)
    assert [table.columns[i] for i in sorted(table.percent_columns)] == [
        "Tỷ lệ đăng ký (%)",
        "Tỷ lệ công nhận/đăng ký (%)",
        "Tỷ lệ công nhận/tổng số (%)",
    ]


def test_the_narrative_is_vietnamese_with_counts_and_rates(flow, campaign, tree):
    flow.decided()
    data = reporting.build(root=tree.province, year=campaign.year)
    text = " ".join(data.narrative)
    assert "1/2 đoàn cơ sở đăng ký" in text and "50,0%" in text
    assert f"tăng 1 đơn vị so với năm {campaign.year - 1}" in text
    assert data.kind == "recognition" and data.root_code == "T1"


def test_the_trend_table_covers_the_years_asked(flow, campaign, tree):
    flow.submitted()
    data = reporting.build(root=tree.province, year=campaign.year, years=[campaign.year - 1])
    trend = data.tables[1]
    assert [row[0] for row in trend.rows] == [campaign.year - 1, campaign.year]
    assert trend.rows[1][1:5] == [1, 0, 0, 1]  # registered, none decided yet: shown as pending


def test_a_grassroots_root_reports_itself(flow, campaign, tree):
    flow.submitted()
    data = reporting.build(root=tree.grassroots, year=campaign.year)
    assert [r[:2] for r in data.tables[0].rows] == [[tree.grassroots.code, tree.grassroots.name]]
    assert data.tables[0].rows[0][2:4] == [1, 1]
