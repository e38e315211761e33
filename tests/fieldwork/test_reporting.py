from fieldwork import reporting, services
from tests.factories import level

from .helpers import YEAR, approved_visits, d, report


def _data(fw, tree, users):
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=4, report_late_days=10, by=users.province_approver
    )
    for visit in approved_visits(
        fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey"), (tree.grassroots, d(2, 3), 3, "meeting")]
    ):
        report(visit)
    services.plan_create(assignment=fw.assignment2, quarter=2, by=fw.staff2)
    visits = approved_visits(fw, users, fw.assignment2, [(tree.district, d(4, 6), 4, "inspection")], quarter=2)
    report(visits[0])
    return reporting.build(root=tree.province, year=YEAR)


def test_every_eligible_staff_member_completed(fw, tree, users):
    data = _data(fw, tree, users)
    assert "2/2 cán bộ hoàn thành kế hoạch, đạt tỷ lệ 100,0%." in data.narrative
    assert any(
        "Tổng số ngày đi cơ sở của cán bộ thuộc diện: 9 ngày, bình quân 4,5 ngày/cán bộ" in p for p in data.narrative
    )


def test_exempt_staff_are_reported_apart(fw, tree, users):
    services.assignment_save(
        year=YEAR,
        user=fw.staff2,
        department=fw.dept,
        exemption="sickness",
        exemption_reason="Điều trị dài ngày",
        by=users.province_approver,
    )
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=10, report_late_days=10, by=users.province_approver
    )
    data = reporting.build(root=tree.province, year=YEAR)
    assert "0/1 cán bộ hoàn thành kế hoạch, đạt tỷ lệ 0,0%." in data.narrative
    assert "1 cán bộ được miễn" in data.narrative[0]


def test_the_tables_add_up(fw, tree, users):
    data = _data(fw, tree, users)
    staff, content, levels, depts = data.tables
    for table in data.tables:
        for col, total in enumerate(table.total):
            if isinstance(total, int) and col not in table.percent_columns:
                assert total == sum(row[col] for row in table.rows), (table.title, col)
    assert staff.total[5] == 9  # days
    assert dict((r[0], r[1]) for r in content.rows)["Kiểm tra, giám sát"] == 4
    assert {r[0]: r[1] for r in levels.rows} == {
        level("huyen").name: 4,
        level("co-so").name: 3,
        level("chi-doan").name: 2,
    }
    assert depts.rows == [["Ban Phong trào", 2, 2, 100.0, 0, 0]]


def test_a_province_without_a_staff_list_says_so(tree):
    data = reporting.build(root=tree.province2, year=YEAR)
    assert data.tables[0].rows == [] and "chưa có danh sách" in data.narrative[0]


def test_progress_is_reported(fw, tree):
    seen = []
    reporting.build(root=tree.province, year=YEAR, progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100


def test_the_chart_stacks_days_by_level_per_department(fw, tree, users):
    data = _data(fw, tree, users)
    (chart,) = data.charts
    assert chart.labels == ["Ban Phong trào"]
    assert dict(chart.series) == {level("huyen").name: [4.0], level("co-so").name: [3.0], level("chi-doan").name: [2.0]}


def test_build_report_writes_the_workbook(fw, tree, users, tmp_path, capsys):
    import openpyxl
    from django.core.management import call_command

    _data(fw, tree, users)
    out = tmp_path / "di-co-so.xlsx"
    call_command("build_report", "fieldwork", "--year", str(YEAR), "--root", "T1", "--out", str(out))
    assert "2/2 cán bộ hoàn thành kế hoạch, đạt tỷ lệ 100,0%." in capsys.readouterr().out
    sheet = openpyxl.load_workbook(out)["Cán bộ"]
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "Vũ Thị Phong" in names and "Tổng cộng" in names
