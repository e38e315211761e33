"""Policies merge along the tree; a lower level may tighten, never loosen."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations import services
from evaluations.models import CriteriaFrame, Criterion, RatingPolicy
from evaluations.policies import effective_policy, suggested_level

pytestmark = pytest.mark.django_db


def test_it_merges_the_strictest_rules_along_the_path(tree, period):
    RatingPolicy.objects.create(
        period=period,
        organization=tree.grassroots,
        subject_type="member",
        quota_percent=15,
        exclude_party_members=True,
        min_participation_excellent=90,
    )
    eff = effective_policy(period, tree.branch, "member")
    assert (eff.quota_percent, eff.exclude_party_members, eff.min_participation_excellent) == (15, True, 90)
    assert effective_policy(period, tree.direct, "member").quota_percent == 20  # other subtree keeps the province's


def test_it_refuses_a_lower_policy_that_loosens_the_quota(tree, users, period):
    loose = RatingPolicy(
        period=period, organization=tree.grassroots, subject_type="member", quota_percent=30, allow_over_quota=True
    )
    with pytest.raises(ValidationError) as exc:
        services.policy_save(policy=loose, by=users.province_admin)
    assert "tối đa 20,0%" in exc.value.message_dict["quota_percent"][0]
    assert "allow_over_quota" in exc.value.message_dict


def test_it_refuses_policy_changes_by_a_non_administrator(tree, users, period):
    with pytest.raises(PermissionDenied):
        services.policy_save(
            policy=RatingPolicy(period=period, organization=tree.grassroots, subject_type="member", quota_percent=10),
            by=users.grassroots_approver,
        )


def test_it_adds_a_lower_units_criteria_and_suggests_a_level_from_points(tree, period):
    top = RatingPolicy.objects.create(period=period, organization=tree.province, subject_type="branch")
    frame = CriteriaFrame.objects.create(
        policy=top, name="Khung 100 điểm", excellent_min_points=90, good_min_points=70, completed_min_points=50
    )
    Criterion.objects.create(frame=frame, group="Tư tưởng chính trị", text="Học tập nghị quyết", max_points=60)
    low = RatingPolicy.objects.create(period=period, organization=tree.grassroots, subject_type="branch")
    low_frame = CriteriaFrame.objects.create(policy=low, name="Bổ sung", excellent_min_points=95)
    Criterion.objects.create(frame=low_frame, group="Phong trào", text="Tình nguyện", max_points=40)
    eff = effective_policy(period, tree.branch, "branch")
    assert [c.text for c in eff.criteria] == ["Học tập nghị quyết", "Tình nguyện"]
    assert eff.excellent_min_points == 95
    assert suggested_level(eff, 92) == "HTTNV"
    assert suggested_level(eff, 96) == "HTXSNV"
    assert suggested_level(eff, 40) == "KHTNV"


def test_it_adds_up_marks_and_refuses_marks_over_the_maximum(tree, users, period):
    top = RatingPolicy.objects.create(period=period, organization=tree.province, subject_type="branch")
    frame = CriteriaFrame.objects.create(policy=top, name="Khung", good_min_points=50)
    a = Criterion.objects.create(frame=frame, group="A", text="Sinh hoạt đều", max_points=60)
    b = Criterion.objects.create(frame=frame, group="B", text="Phong trào", max_points=40)
    saved = services.assessment_autosave(
        period=period,
        by=users.secretary,
        organization=tree.branch,
        data={"marks": {str(a.pk): "55,5", str(b.pk): "30"}},
    )
    assert saved.points == 85.5
    with pytest.raises(ValidationError, match="Tiêu chí “Phong trào”: 41 nằm ngoài khoảng 0 đến 40"):
        services.assessment_autosave(
            period=period, by=users.secretary, organization=tree.branch, data={"marks": {str(b.pk): "41"}}
        )
