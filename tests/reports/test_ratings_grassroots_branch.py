"""The ratings report counts a chi đoàn cơ sở among the tổ chức cơ sở Đoàn (issue 15; Điều lệ
Đoàn: "tổ chức cơ sở Đoàn gồm đoàn cơ sở và chi đoàn cơ sở"), with its BCH, and its members at its
own level; it is not a chi đoàn. On top of the data set of conftest.py (T1, 2025):

    T1-H1-CDCS1 under the district: 4 members [HTXSNV, HTTNV, HTTNV, none], itself HTXSNV
    T1-CDCS2 directly under the province: 2 members [HTNV, none], itself not rated
"""

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from evaluations.models import RatingPeriod, SubjectType
from reports.builders import ratings as ratings_builder
from reports.excel import check_totals
from tests.grassroots import make_grassroots_branch

from .conftest import rate


@pytest.fixture
def report_data(ratings):
    t = ratings
    p25 = RatingPeriod.objects.get(year=2025, root=t.province)
    under_district = make_grassroots_branch(t.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bệnh viện Đại Từ", 4)
    direct = make_grassroots_branch(t.province, "T1-CDCS2", "Chi đoàn cơ sở Công ty Gang thép", 2)
    for member, level in zip(under_district.members.order_by("pk"), ["HTXSNV", "HTTNV", "HTTNV"], strict=False):
        rate(p25, SubjectType.MEMBER, None, level, member=member)
    rate(p25, SubjectType.MEMBER, None, "HTNV", member=direct.members.order_by("pk").first())
    rate(p25, SubjectType.GRASSROOTS, under_district, "HTXSNV")
    return ratings_builder.build(root=t.province, year=2025)


def _table(data, title_start):
    return next(t for t in data.tables if t.title.startswith(title_start))


def _row(table, *labels):
    return next(r for r in table.rows if all(label in r for label in labels))


def test_it_counts_chi_doan_co_so_among_the_grassroots_organisations(report_data):
    summary = _table(report_data, "Tổng hợp")
    # 2 đoàn cơ sở + 2 chi đoàn cơ sở; HTXSNV: T1-H1-CS1 and T1-H1-CDCS1
    assert _row(summary, "Tổ chức cơ sở Đoàn")[1:4] == [4, 2, 50.0]
    assert _row(summary, "Chi đoàn")[1] == 3  # still the three chi đoàn only
    assert _row(summary, "Tập thể lãnh đạo (BCH/BTV)")[1] == 5  # their BCH too: 3 + 2
    assert _row(summary, "Đoàn viên")[1:4] == [12, 3, 25.0]  # 6 + 4 + 2 members, 2 + 1 HTXSNV


def test_its_members_and_itself_count_at_its_own_level(report_data):
    table = _table(report_data, "Kết quả xếp loại theo cấp")
    assert _row(table, "Chi đoàn cơ sở", "Tổ chức cơ sở Đoàn")[2:4] == [2, 1]
    assert _row(table, "Chi đoàn cơ sở", "Đoàn viên")[2:6] == [6, 1, 16.7, 2]
    assert _row(table, "Chi đoàn", "Đoàn viên")[2] == 6  # the chi đoàn's own members only


def test_one_directly_under_the_root_has_its_row(report_data):
    table = _table(report_data, "Tổ chức cơ sở Đoàn — theo đơn vị")
    assert _row(table, "T1-CDCS2")[2:4] == [1, 0]
    assert _row(table, "T1-H1")[2:4] == [2, 2]


def test_every_table_still_adds_up(report_data):
    for table in report_data.tables:
        check_totals(table)


def test_the_narrative_names_them_as_grassroots_organisations(report_data):
    text = " ".join(report_data.narrative)
    assert "2/4 tổ chức cơ sở Đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 50,0%" in text


def test_the_command_writes_their_sheet(report_data, tmp_path, capsys):
    out = tmp_path / "tinh.xlsx"
    call_command("build_report", "ratings", "--year", "2025", "--root", "T1", "--out", str(out))
    assert "2/4 tổ chức cơ sở Đoàn được công nhận" in capsys.readouterr().out
    ws = load_workbook(out, read_only=True)["Theo đơn vị trực thuộc"]  # the per-unit tables' one sheet
    assert any(row and str(row[0]).startswith("Tổ chức cơ sở Đoàn — ") for row in ws.iter_rows(values_only=True))
