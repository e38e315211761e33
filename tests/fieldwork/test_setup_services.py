import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fieldwork import services
from fieldwork.models import StaffAssignment
from organizations import audit

from .helpers import YEAR


def test_a_department_head_must_work_at_the_province(tree, users):
    with pytest.raises(ValidationError, match="chưa có chức vụ"):
        services.department_save(
            organization=tree.province, name="Ban Tuyên giáo", head=users.secretary, by=users.province_approver
        )


def test_staff_cannot_create_departments(tree, users):
    with pytest.raises(PermissionDenied):
        services.department_save(organization=tree.province, name="Ban Tuyên giáo", by=users.province_staff)


def test_an_exemption_needs_a_reason(fw, users):
    with pytest.raises(ValidationError, match="lý do miễn"):
        services.assignment_save(
            year=YEAR, user=fw.staff2, department=fw.dept, exemption="maternity", by=users.province_approver
        )


def test_an_exemption_is_saved_and_audited(fw, users):
    a = services.assignment_save(
        year=YEAR,
        user=fw.staff2,
        department=fw.dept,
        exemption="study",
        exemption_reason="Học cao cấp lý luận chính trị 8 tháng",
        by=users.province_approver,
    )
    assert not a.is_eligible
    entry = audit.history(a).first()
    assert entry.reason == "Học cao cấp lý luận chính trị 8 tháng"
    assert "Đi học từ 6 tháng trở lên" in entry.to_state


def test_drivers_are_not_eligible(fw, users):
    a = services.assignment_save(
        year=YEAR,
        user=fw.staff2,
        department=fw.dept,
        post_kind=StaffAssignment.PostKind.DRIVER,
        by=users.province_approver,
    )
    assert not a.is_eligible


def test_someone_without_a_post_at_the_province_cannot_be_listed(fw, users):
    with pytest.raises(ValidationError):
        services.assignment_save(
            year=YEAR, user=users.grassroots_secretary, department=fw.dept, by=users.province_approver
        )


def test_another_province_cannot_take_over_a_staff_assignment(fw, tree, users):
    from organizations.models import Post
    from tests.factories import make_user

    # the staff member still holds a post in T2 (moved mid-year, old post not closed yet)
    Post.objects.create(user=fw.staff2, organization=tree.province2, role=Post.Role.STAFF)
    other_manager = make_user("thuongtruc.t2", Post.Role.APPROVER, tree.province2)
    other_dept = services.department_save(organization=tree.province2, name="Ban Tuyên giáo", by=other_manager)
    with pytest.raises(PermissionDenied):
        services.assignment_save(year=YEAR, user=fw.staff2, department=other_dept, by=other_manager)
    fw.assignment2.refresh_from_db()
    assert fw.assignment2.department == fw.dept
