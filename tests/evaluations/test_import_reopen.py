"""An approved result changes only through reopen: the import asks for it explicitly, is audited
per rating, and reopens only where its user could reopen by hand; a locked period refuses all."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from evaluations import services
from evaluations.importers import RatingImporter
from evaluations.models import Assessment, Status
from organizations.audit import history

from .conftest import fill_and_submit
from .test_import import xlsx

pytestmark = pytest.mark.django_db

REASON = "Biên bản họp chi đoàn ghi sai mức"


@pytest.fixture
def approved(tree, users, period):
    """The chi đoàn's batch approved on the page: one HTXSNV, two HTTNV."""
    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    services.submission_approve(submission=batch, by=users.grassroots_approver)
    return Assessment.objects.select_related("member").get(member__branch=tree.branch, final_level="HTXSNV")


def lower(tmp_path, assessment, level="HTNV"):
    return xlsx(tmp_path, [[2026, "Đoàn viên", assessment.member.citizen_id, level, ""]])


def test_an_approved_result_is_refused_without_reopen(tree, users, approved, tmp_path):
    result = RatingImporter(user=users.grassroots_approver, year=2026).run(lower(tmp_path, approved))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Mã đối tượng")]
    assert f"{approved.member.full_name} đã được công nhận" in result.errors[0].message
    assert "--reopen" in result.errors[0].message
    approved.refresh_from_db()
    assert (approved.final_level, approved.reopened_count) == ("HTXSNV", 0)


def test_reopening_overwrites_it_with_a_reopen_and_an_import_entry(tree, users, approved, tmp_path):
    importer = RatingImporter(user=users.grassroots_approver, year=2026, reopen=True, reason=REASON)
    result = importer.run(lower(tmp_path, approved))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    approved.refresh_from_db()
    assert (approved.status, approved.final_level, approved.reopened_count) == (Status.APPROVED, "HTNV", 1)
    imported, reopened = history(approved).order_by("-pk")[:2]
    assert (reopened.action, reopened.by, reopened.organization) == (
        "reopen",
        users.grassroots_approver,
        tree.grassroots,
    )
    assert (reopened.from_state, reopened.to_state) == ("Đã công nhận", "Đã gửi, chờ duyệt")
    assert reopened.reason == f"{REASON} (nhập từ Excel, dòng 2)"
    assert (imported.action, imported.from_state, imported.to_state) == (
        "import",
        "Hoàn thành xuất sắc nhiệm vụ",
        "Đã công nhận: Hoàn thành nhiệm vụ",
    )


def test_only_the_rows_it_reopens_get_a_reopen_entry(tree, users, approved, tmp_path):
    rows = [[2026, "Đoàn viên", approved.member.citizen_id, "HTNV", ""]]
    rows += [[2026, "Đoàn viên", m.citizen_id, "HTTNV", ""] for m in tree.members2]
    result = RatingImporter(user=users.grassroots_approver, year=2026, reopen=True, reason=REASON).run(
        xlsx(tmp_path, rows)
    )
    assert (result.created, result.updated) == (2, 1)
    reopens = [e for a in Assessment.objects.all() for e in history(a) if e.action == "reopen"]
    assert [e.object_id for e in reopens] == [approved.pk]


def test_a_user_who_could_not_reopen_by_hand_cannot_reopen_by_import(tree, users, approved, tmp_path):
    with pytest.raises(PermissionDenied):
        services.assessment_reopen(assessment=approved, by=users.grassroots_secretary, reason=REASON)
    importer = RatingImporter(user=users.grassroots_secretary, year=2026, reopen=True, reason=REASON)
    result = importer.run(lower(tmp_path, approved))
    assert [e.message for e in result.errors] == ["Chỉ cấp công nhận mới được mở lại kết quả."]
    approved.refresh_from_db()
    assert (approved.final_level, approved.reopened_count) == ("HTXSNV", 0)


def test_a_reopen_needs_a_reason(tree, users, approved, tmp_path):
    result = RatingImporter(user=users.grassroots_approver, year=2026, reopen=True, reason="  ").run(
        lower(tmp_path, approved)
    )
    assert [e.message for e in result.errors] == ["Cần ghi lý do mở lại kết quả."]


def test_reopening_stays_within_the_quota(tree, users, approved, tmp_path):
    other = Assessment.objects.filter(member__branch=tree.branch, final_level="HTTNV").select_related("member").first()
    result = RatingImporter(user=users.grassroots_approver, year=2026, reopen=True, reason=REASON).run(
        lower(tmp_path, other, level="HTXSNV")
    )
    assert "sẽ có 2 HTXSNV trên 5 (40,0%)" in result.errors[0].message
    other.refresh_from_db()
    assert (other.final_level, other.reopened_count) == ("HTTNV", 0)


def test_a_locked_period_refuses_whatever_is_asked(tree, users, period, approved, tmp_path):
    services.period_lock(period=period, by=users.province_admin)
    rows = [
        [2026, "Đoàn viên", approved.member.citizen_id, "HTNV", ""],
        [2026, "Chi đoàn", tree.branch2.code, "HTNV", ""],
    ]
    result = RatingImporter(user=None, year=2026, reopen=True, reason=REASON).run(xlsx(tmp_path, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Năm"), (3, "Năm")]
    assert all("đã khóa" in e.message for e in result.errors)
    assert not Assessment.objects.filter(organization=tree.branch2).exists()
    approved.refresh_from_db()
    assert (approved.status, approved.final_level) == (Status.LOCKED, "HTXSNV")


def test_the_command_reopens_with_reopen_and_reason(tree, users, approved, tmp_path):
    path, out = lower(tmp_path, approved), StringIO()
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_xlsx", "ratings", path, "--year", "2026", "--user", "duyet.coso", stderr=StringIO())
    call_command(
        "import_xlsx",
        "ratings",
        path,
        "--year",
        "2026",
        "--user",
        "duyet.coso",
        "--reopen",
        "--reason",
        REASON,
        stdout=out,
    )
    assert "0 mới, 1 cập nhật" in out.getvalue()
    assert history(approved).filter(action="reopen", reason__startswith=REASON).count() == 1


def test_the_command_asks_for_a_reason_and_a_kind_that_reopens(tree, approved, tmp_path):
    path = lower(tmp_path, approved)
    with pytest.raises(CommandError, match="--reopen cần --reason"):
        call_command("import_xlsx", "ratings", path, "--year", "2026", "--reopen")
    with pytest.raises(CommandError, match="“members” không có kết quả được công nhận"):
        call_command("import_xlsx", "members", path, "--reopen", "--reason", REASON)
