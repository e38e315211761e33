from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import Member
from organizations import audit, services
from organizations.models import Organization
from tests.factories import level


def _fresh(org):
    return Organization.objects.get(pk=org.pk)


def test_it_creates_a_branch_under_a_grassroots_unit_and_counts_it(tree, users):
    unit = services.create_unit(
        parent=tree.grassroots,
        code="t1-h1-cs1-cd9",
        name="Chi đoàn thôn Mới",
        level=level("chi-doan"),
        by=users.district_approver,
    )
    assert unit.code == "T1-H1-CS1-CD9"
    assert unit.parent() == tree.grassroots
    assert _fresh(tree.grassroots).branches_total == 3
    assert _fresh(tree.province).units_total == tree.province.units_total + 1
    assert audit.history(unit).first().action == "create"


def test_it_places_a_grassroots_unit_directly_under_a_province(tree, users):
    unit = services.create_unit(
        parent=tree.province,
        code="T1-CS9",
        name="Đoàn Công ty Điện lực",
        level=level("co-so"),
        by=users.province_approver,
    )
    assert unit.depth == tree.province.depth + 1


def test_it_refuses_a_level_that_cannot_sit_under_the_parent(tree, users):
    with pytest.raises(ValidationError, match="Không thể đặt"):
        services.create_unit(
            parent=tree.province, code="X1", name="Chi đoàn lạc", level=level("chi-doan"), by=users.province_approver
        )


def test_it_refuses_creation_by_a_secretary_or_outside_scope(tree, users):
    with pytest.raises(PermissionDenied):
        services.create_unit(parent=tree.grassroots, code="X2", name="X", level=level("chi-doan"), by=users.secretary)
    with pytest.raises(PermissionDenied):
        services.create_unit(parent=tree.grassroots, code="X3", name="X", level=level("chi-doan"), by=users.outsider)


def test_it_refuses_a_duplicate_code(tree, users):
    with pytest.raises(ValidationError, match="đã được dùng"):
        services.create_unit(
            parent=tree.grassroots,
            code="T1-H1-CS1-CD1",
            name="Trùng",
            level=level("chi-doan"),
            by=users.district_approver,
        )


def test_rename_keeps_the_code_and_is_audited(tree, users):
    services.update_unit(
        unit=tree.branch,
        name="Chi đoàn thôn Đồng Tâm 2",
        kind=None,
        founded_on=date(2010, 3, 26),
        by=users.grassroots_approver,
    )
    unit = _fresh(tree.branch)
    assert unit.code == "T1-H1-CS1-CD1" and unit.name == "Chi đoàn thôn Đồng Tâm 2"
    entry = audit.history(unit).first()
    assert (entry.action, entry.from_state, entry.by) == ("rename", "Chi đoàn thôn Đồng Tâm", users.grassroots_approver)


def test_moving_a_grassroots_unit_moves_its_counts(tree, users):
    # the district is abolished (2025 reform): its cơ sở moves directly under the province
    services.move_unit(
        unit=tree.grassroots, new_parent=tree.province, by=users.province_approver, reason="Bỏ cấp huyện"
    )
    assert _fresh(tree.grassroots).parent() == tree.province
    assert _fresh(tree.district).members_total == 0
    assert _fresh(tree.province).members_total == 6
    assert _fresh(tree.branch).parent() == tree.grassroots  # the subtree came along


def test_it_refuses_moving_a_unit_under_itself(tree, users):
    with pytest.raises(ValidationError):
        services.move_unit(unit=tree.district, new_parent=tree.grassroots, by=users.province_approver)


def test_merge_moves_children_and_members_and_keeps_history(tree, users):
    services.merge_unit(source=tree.branch2, target=tree.branch, by=users.grassroots_approver, reason="QĐ 12-QĐ/ĐTN")
    source = _fresh(tree.branch2)
    assert source.status == Organization.Status.MERGED and source.merged_into == tree.branch
    assert Member.objects.filter(branch=tree.branch).count() == 5
    assert _fresh(tree.branch).members_total == 5 and source.members_total == 0
    assert _fresh(tree.grassroots).branches_total == 1
    assert audit.history(source).first().reason == "QĐ 12-QĐ/ĐTN"


def test_it_refuses_merging_different_levels(tree, users):
    with pytest.raises(ValidationError, match="cùng cấp"):
        services.merge_unit(source=tree.branch2, target=tree.grassroots, by=users.province_approver, reason="x")


def test_dissolve_refuses_a_unit_with_members_then_works_when_empty(tree, users):
    with pytest.raises(ValidationError, match="đoàn viên"):
        services.dissolve_unit(unit=tree.branch2, by=users.grassroots_approver, reason="Giải thể")
    Member.objects.filter(branch=tree.branch2).delete()
    services.adjust_counts(tree.branch2, members=-2)
    services.dissolve_unit(unit=tree.branch2, by=users.grassroots_approver, reason="Giải thể theo QĐ 5")
    unit = _fresh(tree.branch2)
    assert unit.status == Organization.Status.DISSOLVED and unit.ended_on is not None
    assert Organization.objects.filter(pk=unit.pk).exists()  # history kept


def test_dissolve_refuses_a_unit_with_active_children(tree, users):
    with pytest.raises(ValidationError, match="trực thuộc"):
        services.dissolve_unit(unit=tree.district, by=users.province_approver, reason="x")


def test_rebuild_counts_matches_the_members(tree):
    assert _fresh(tree.root).members_total == 7
    assert _fresh(tree.province).members_total == 6
    assert _fresh(tree.province).branches_total == 3
    assert _fresh(tree.province).units_total == 7
