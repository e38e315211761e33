import pytest

from reports.builders import ratings as ratings_builder
from reports.excel import check_totals


def _table(data, title_start):
    return next(t for t in data.tables if t.title.startswith(title_start))


def _row(table, label):
    return next(r for r in table.rows if label in r)


@pytest.fixture
def report(ratings):
    return ratings_build(ratings)


def ratings_build(t, **options):
    return ratings_builder.build(root=t.province, year=2025, **options)


# cells after the label columns: total, HTXS n, %, HTT n, %, HT n, %, KHT n, %, not rated n, %
def test_it_counts_members_per_child_unit_with_the_not_rated_residual(report):
    table = _table(report, "Đoàn viên — theo đơn vị")
    assert _row(table, "T1-H1")[2:] == [5, 2, 40.0, 1, 20.0, 0, 0.0, 1, 20.0, 1, 20.0]
    assert _row(table, "T1-CS2")[2:] == [1, 0, 0.0, 0, 0.0, 1, 100.0, 0, 0.0, 0, 0.0]
    assert table.total[2:] == [6, 2, 33.3, 1, 16.7, 1, 16.7, 1, 16.7, 1, 16.7]


def test_each_row_adds_up_to_its_total_and_totals_equal_the_sum_of_rows(report):
    for table in report.tables:
        check_totals(table)
        start = len(table.columns) - 11
        for row in [*table.rows, *([table.total] if table.total else [])]:
            counts = row[start + 1 :: 2]
            assert sum(counts) == row[start], (table.title, row)


def test_it_counts_organisations_and_excludes_the_root_itself(report):
    summary = _table(report, "Tổng hợp")
    assert _row(summary, "Chi đoàn")[1:] == [3, 1, 33.3, 1, 33.3, 0, 0.0, 0, 0.0, 1, 33.3]
    assert _row(summary, "Tổ chức cơ sở Đoàn")[1:4] == [2, 1, 50.0]
    assert _row(summary, "Đoàn cấp trên cơ sở")[1:] == [1, 0, 0.0, 1, 100.0, 0, 0.0, 0, 0.0, 0, 0.0]
    assert _row(summary, "Tập thể lãnh đạo (BCH/BTV)")[1:] == [3, 0, 0.0, 0, 0.0, 0, 0.0, 0, 0.0, 3, 100.0]


def test_it_never_counts_another_province(report):
    summary = _table(report, "Tổng hợp")
    assert _row(summary, "Đoàn viên")[1] == 6
    assert "Hưng Yên" not in str(report.tables)


def test_it_breaks_down_by_level_of_the_tree(report):
    table = _table(report, "Kết quả xếp loại theo cấp")
    by = {(r[0], r[1]): r[2:] for r in table.rows}
    assert by[("Chi đoàn", "Chi đoàn")][:2] == [3, 1]
    assert by[("Huyện, quận, thị, thành đoàn và tương đương", "Đoàn cấp trên cơ sở")][:4] == [1, 0, 0.0, 1]
    assert by[("Đoàn cơ sở", "Tập thể lãnh đạo (BCH/BTV)")][0] == 2


def test_it_puts_previous_years_beside_the_year(report):
    table = _table(report, "So sánh qua các năm")
    by = {(r[0], r[1]): r[2:] for r in table.rows}
    assert by[("Chi đoàn", "2024")] == [3, 0, 0.0, 0, 0.0, 1, 33.3, 0, 0.0, 2, 66.7]
    assert by[("Đoàn viên", "2024")][:4] == [6, 0, 0.0, 1]
    assert ("Chi đoàn", "2023") not in by  # a year without ratings is left out


def test_it_leaves_out_comparison_when_no_previous_year_has_ratings(ratings):
    data = ratings_build(ratings, years=[2022, 2023, 2025])
    assert not any(t.title.startswith("So sánh") for t in data.tables)
    assert [c.kind for c in data.charts] == ["stacked-bar"]


def test_it_writes_the_narrative_a_report_to_the_central_body_uses(report):
    text = " ".join(report.narrative)
    assert (
        "Năm 2025, Tỉnh đoàn Thái Nguyên có 1/3 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 33,3%"
        in text
    )
    assert "2/6 đoàn viên được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 33,3%" in text
    assert "1 đoàn viên chưa xếp loại (16,7%)" in text
    assert "So với năm 2024 (0/3, 0,0%), tỷ lệ chi đoàn hoàn thành xuất sắc nhiệm vụ tăng 33,3 điểm phần trăm." in text


def test_the_narrative_names_only_the_levels_that_occur_and_the_subjects_rated(report):
    text = " ".join(report.narrative)
    clauses = [c for p in report.narrative for sentence in p.split(". ") for c in sentence.split("; ")]
    assert not [c for c in clauses if c.startswith("0/") or " có 0/" in c]  # no "0/2.294 … (0,0%)" clause
    assert "So với năm 2024 (0/2" not in text  # no đoàn cơ sở was rated in 2024: nothing to compare
    assert "không hoàn thành nhiệm vụ (16,7%)" in text  # a level that occurs stays
    assert "tập thể lãnh đạo" not in text  # no BCH was rated: no "3 … chưa xếp loại (100,0%)"


def test_it_draws_the_distribution_per_child_and_the_trend(report):
    bars, line = report.charts
    assert bars.kind == "stacked-bar" and sorted(bars.labels) == ["Huyện đoàn Đại Từ", "Đoàn trường Cao đẳng Sư phạm"]
    assert [name for name, _ in bars.series][-1] == "Chưa xếp loại"
    for i in range(len(bars.labels)):
        assert round(sum(values[i] for _, values in bars.series)) == 100
    assert line.kind == "line" and line.labels == ["2024", "2025"]
    assert dict(line.series)["Chi đoàn"] == [0.0, 33.3]


def test_rates_use_one_decimal_rounded_half_up():
    from reports.builders.common import rate, vn_percent

    assert vn_percent(rate(468, 2294)) == "20,4%"
    assert rate(1, 8) == 12.5 and rate(1, 3) == 33.3 and rate(2, 3) == 66.7 and rate(0, 0) == 0.0


def test_its_query_count_does_not_grow_with_the_tree(ratings, django_assert_max_num_queries):
    from tests.factories import MemberFactory, make_unit

    # The rollup: levels, the reference dates, the root's past paths, the units where they hung on
    # each of the 3 years' days, the children, decided assessments, members (2 passes): 14; 6 for the
    # table of integrity flags (evaluations.integrity): whatever the size.
    with django_assert_max_num_queries(20):
        ratings_build(ratings)
    for i in range(5):
        branch = make_unit(ratings.grassroots, f"T1-H1-CS1-X{i}", f"Chi đoàn mới {i}", "chi-doan")
        MemberFactory.create_batch(2, branch=branch)
    with django_assert_max_num_queries(20):
        data = ratings_build(ratings)
    assert _row(_table(data, "Chi đoàn — theo"), "T1-H1")[2] == 7


def test_a_chi_doan_root_reports_its_own_members(ratings):
    data = ratings_builder.build(root=ratings.branch, year=2025)
    table = _table(data, "Đoàn viên — theo đơn vị")
    assert len(table.rows) == 1 and table.rows[0][2:5] == [3, 1, 33.3]
