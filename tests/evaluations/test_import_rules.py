"""The ratings import checks the approval page's rules over the whole file (evaluations.engine):
the quota as the unit will be after the import, eligibility, the HTXSNV conditions."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import services
from evaluations.importers import RatingImporter
from evaluations.models import Assessment, RatingPeriod, RatingPolicy, Status, SubjectType
from evaluations.selectors import quota_meter
from tests.factories import MemberFactory

from .conftest import fill_and_submit
from .test_import import xlsx

pytestmark = pytest.mark.django_db

OVER = (
    "vượt chỉ tiêu HTXSNV (đoàn viên) của Đoàn xã Hùng Sơn: sẽ có {used} HTXSNV trên 5 ({rate}), vượt mức tối đa 20,0%"
)


def member_rows(members, level, year=2026):
    return [[year, "Đoàn viên", m.citizen_id, level, ""] for m in members]


def excellent_used(period, tree):
    return quota_meter(period=period, approving_unit=tree.grassroots, subject_type=SubjectType.MEMBER).used


def run(user, path, **options):
    return RatingImporter(user=user, year=options.pop("year", 2026), **options).run(path)


# -- the quota (the conftest's period: 20 % of the members, no over-quota) --------------------------


def test_a_file_over_the_quota_is_refused_at_each_excellent_row_with_the_numbers(tree, users, period, tmp_path):
    rows = member_rows(tree.members[:2], "HTXSNV") + member_rows(tree.members2, "HTTNV")
    result = run(users.grassroots_approver, xlsx(tmp_path, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Xếp loại"), (3, "Xếp loại")]
    first = result.errors[0].message
    assert first.startswith(f"{tree.members[0].full_name}: ")
    assert OVER.format(used=2, rate="40,0%") in first
    assert "(tỷ lệ trên tổng số được xếp loại) = 1." in first
    assert (result.created, Assessment.objects.count(), excellent_used(period, tree)) == (2, 0, 0)


def test_a_file_within_the_quota_is_written(tree, users, period, tmp_path):
    rows = member_rows(tree.members[:1], "HTXSNV") + member_rows(tree.members[1:] + tree.members2, "HTTNV")
    result = run(users.grassroots_approver, xlsx(tmp_path, rows))
    assert result.ok, result.errors
    assert (result.created, excellent_used(period, tree)) == (5, 1)


def test_the_quota_counts_the_units_decided_ratings_with_the_files(tree, users, period, tmp_path):
    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    services.submission_approve(submission=batch, by=users.grassroots_approver)
    result = run(users.grassroots_approver, xlsx(tmp_path, member_rows(tree.members2[:1], "HTXSNV")))
    assert OVER.format(used=2, rate="40,0%") in result.errors[0].message
    assert excellent_used(period, tree) == 1 and not Assessment.objects.filter(member__in=tree.members2).exists()


def test_lowering_a_level_in_the_file_makes_room_for_another(tree, users, period, tmp_path):
    RatingImporter(user=None, year=2026).run(xlsx(tmp_path, member_rows(tree.members[:1], "HTXSNV")))
    rows = member_rows(tree.members[:1], "HTTNV") + member_rows(tree.members[1:2], "HTXSNV")
    result = run(users.grassroots_approver, xlsx(tmp_path, rows), reopen=True, reason="Chi đoàn sửa biên bản")
    assert result.ok, result.errors
    assert excellent_used(period, tree) == 1


def test_the_quota_may_be_passed_when_the_policy_allows_it(tree, users, period, tmp_path):
    RatingPolicy.objects.filter(period=period).update(allow_over_quota=True)
    result = run(users.grassroots_approver, xlsx(tmp_path, member_rows(tree.members, "HTXSNV")))
    assert result.ok and excellent_used(period, tree) == 3


def test_a_historical_year_without_a_policy_imports_as_before(tree, users, tmp_path):
    RatingPeriod.objects.create(
        year=2024,
        root=tree.province,
        title="Xếp loại năm 2024",
        opens_on=date(2024, 12, 1),
        locks_on=date(2024, 12, 31),
    )
    rows = member_rows(tree.members + tree.members2, "HTXSNV", year=2024)
    result = run(users.grassroots_approver, xlsx(tmp_path, rows), year=2024)
    assert result.ok, result.errors
    assert Assessment.objects.filter(period__year=2024, final_level="HTXSNV", status=Status.APPROVED).count() == 5


def test_the_command_refuses_a_file_over_the_quota_and_writes_nothing(tree, users, period, tmp_path):
    path, err = xlsx(tmp_path, member_rows(tree.members[:2], "HTXSNV")), StringIO()
    with pytest.raises(CommandError, match="Không ghi gì: 2 lỗi"):
        call_command("import_xlsx", "ratings", path, "--year", "2026", "--user", "duyet.coso", stderr=err)
    assert (
        f"Dòng 2, cột “Xếp loại”: {tree.members[0].full_name}: " + OVER.format(used=2, rate="40,0%") in err.getvalue()
    )
    assert not Assessment.objects.exists()
    out = StringIO()
    call_command("import_xlsx", "ratings", xlsx(tmp_path, member_rows(tree.members[:1], "HTXSNV")), "--year", "2026",
                 "--user", "duyet.coso", stdout=out)  # fmt: skip
    assert "1 mới" in out.getvalue() and excellent_used(period, tree) == 1


def test_the_check_costs_the_same_queries_for_more_rows(tree, users, period, tmp_path):
    small, large = member_rows(tree.members[:2], "HTTNV"), member_rows(tree.members + tree.members2, "HTTNV")
    counts = []
    for rows in (small, small, large):  # the first run fills Django's caches (content types)
        with CaptureQueriesContext(connection) as queries:
            assert run(users.grassroots_approver, xlsx(tmp_path, rows), dry_run=False).ok
        counts.append(len(queries))
        Assessment.objects.all().delete()
    assert counts[1] == counts[2]


# -- conditions ------------------------------------------------------------------------------------


def test_a_member_short_of_the_minimum_months_is_refused(tree, users, period, tmp_path):
    newcomer = MemberFactory(branch=tree.branch, admitted_on=date(2026, 8, 1), joined_branch_on=date(2026, 8, 1))
    result = run(users.grassroots_approver, xlsx(tmp_path, member_rows([newcomer], "HTTNV")))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã đối tượng")]
    assert result.errors[0].message == f"{newcomer.full_name} không thuộc diện xếp loại: Chưa đủ 6 tháng sinh hoạt."
    assert not Assessment.objects.exists()


def test_a_party_member_is_refused_where_the_policy_excludes_them(tree, users, period, tmp_path):
    RatingPolicy.objects.filter(period=period).update(exclude_party_members=True)
    member = tree.members[1]
    member.is_party_member = True
    member.save(update_fields=["is_party_member"])
    result = run(users.grassroots_approver, xlsx(tmp_path, member_rows([member], "HTTNV")))
    assert "Là đảng viên" in result.errors[0].message and not Assessment.objects.exists()


def test_excellent_needs_the_policys_participation(tree, users, period, tmp_path):
    RatingPolicy.objects.filter(period=period).update(min_participation_excellent=80)
    result = run(users.grassroots_approver, xlsx(tmp_path, member_rows(tree.members[:1], "HTXSNV")))
    assert result.errors[0].column == "Xếp loại"
    assert "HTXSNV cần tham gia sinh hoạt từ 80,0% trở lên" in result.errors[0].message


@pytest.fixture
def recognition_required(tree, period):
    RatingPolicy.objects.create(
        period=period,
        organization=tree.province,
        subject_type=SubjectType.GRASSROOTS,
        require_recognition_for_excellent=True,
    )


def test_excellent_for_a_grassroots_needs_its_3_chu_dong_recognition(tree, users, recognition_required, tmp_path):
    path = xlsx(tmp_path, [[2026, "Đoàn cơ sở", tree.grassroots.code, "HTXSNV", ""]])
    result = run(users.district_approver, path)
    assert [(e.row, e.column) for e in result.errors] == [(2, "Xếp loại")]
    assert "Đoàn xã Hùng Sơn: HTXSNV cần được công nhận “3 chủ động” năm 2026" in result.errors[0].message
    assert not Assessment.objects.exists()


def test_a_recognised_grassroots_imports_as_excellent(tree, users, recognition_required, tmp_path, monkeypatch):
    from evaluations.recognition import selectors as recognition

    monkeypatch.setattr(recognition, "is_recognised", lambda org, year: org == tree.grassroots and year == 2026)
    path = xlsx(tmp_path, [[2026, "Đoàn cơ sở", tree.grassroots.code, "HTXSNV", ""]])
    assert run(users.district_approver, path).ok
    assert Assessment.objects.get(organization=tree.grassroots).final_level == "HTXSNV"


# -- the same rule on every path -------------------------------------------------------------------


def test_the_approval_page_and_the_import_refuse_the_same_party_member(tree, users, period, tmp_path):
    from django.core.exceptions import ValidationError

    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV", "HTTNV", "HTTNV"])
    RatingPolicy.objects.filter(period=period).update(exclude_party_members=True)
    on_page, in_file = tree.members[2], tree.members2[1]
    for member in (on_page, in_file):  # admitted to the Party after the chi đoàn's meeting
        member.is_party_member = True
        member.save(update_fields=["is_party_member"])
    with pytest.raises(ValidationError) as refused:
        services.submission_approve(submission=batch, by=users.grassroots_approver)
    imported = run(users.grassroots_approver, xlsx(tmp_path, member_rows(tree.members2, "HTTNV")))
    assert [e.row for e in imported.errors] == [3]
    rule = "không thuộc diện xếp loại: Là đảng viên (theo quy định không xếp loại đoàn viên)."
    assert refused.value.messages == [f"{on_page.full_name} {rule}"]
    assert imported.errors[0].message == f"{in_file.full_name} {rule}"
    assert not Assessment.objects.filter(status=Status.APPROVED).exists()


def test_a_reimport_costs_the_same_queries_for_more_rows(tree, users, period, tmp_path):
    everyone = tree.members + tree.members2
    RatingImporter(user=None, year=2026).run(xlsx(tmp_path, member_rows(everyone, "HTTNV")))
    counts = []
    for members in (everyone[:2], everyone[:2], everyone):  # the first run fills Django's caches
        with CaptureQueriesContext(connection) as queries:
            result = run(
                users.grassroots_approver, xlsx(tmp_path, member_rows(members, "HTNV")), reopen=True, reason="Sửa"
            )
            assert result.ok, result.errors
        counts.append(len(queries))
    assert counts[1] == counts[2]


def test_a_failure_loading_the_file_refuses_it_whole_with_a_plain_message(tree, users, period, tmp_path, monkeypatch):
    from evaluations import importers

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importers, "_Lookup", broken)
    result = run(users.grassroots_approver, xlsx(tmp_path, member_rows(tree.members[:1], "HTXSNV")))
    assert result.errors[0].row == 0 and "Lỗi hệ thống khi nhập" in result.errors[0].message
    assert not Assessment.objects.exists()
