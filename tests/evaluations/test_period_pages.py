"""Index, period page and the administrators' period/policy pages."""

import pytest
from django.urls import reverse

from evaluations.models import RatingPeriod, RatingPolicy

pytestmark = pytest.mark.django_db


def test_it_shows_the_current_period_and_the_users_unit(login, tree, users, period):
    body = login(users.secretary).get(reverse("evaluations:index")).content.decode()
    assert "Xếp loại năm 2026" in body and tree.branch.name in body


def test_it_hides_another_provinces_period(login, tree, users, period):
    assert login(users.outsider).get(reverse("evaluations:period", args=[period.pk])).status_code == 404
    assert "Chưa có đợt" in login(users.outsider).get(reverse("evaluations:index")).content.decode()


def test_it_lets_a_province_admin_create_a_period_with_deadlines(login, tree, users):
    response = login(users.province_admin).post(
        reverse("evaluations:period_create"),
        {
            "root": "T1",
            "year": "2027",
            "title": "",
            "opens_on": "01/10/2027",
            "locks_on": "31/12/2027",
            "due_chi-doan": "31/10/2027",
            "due_co-so": "10/11/2027",
        },
    )
    assert response.status_code == 302
    created = RatingPeriod.objects.get(year=2027)
    assert [(d.level.code, d.due_on.day) for d in created.deadlines.order_by("due_on")] == [
        ("chi-doan", 31),
        ("co-so", 10),
    ]


def test_it_refuses_period_creation_to_a_secretary(login, users):
    assert login(users.secretary).get(reverse("evaluations:period_create")).status_code == 403


def test_it_refuses_a_duplicate_year_and_bad_dates(login, tree, users, period):
    response = login(users.province_admin).post(
        reverse("evaluations:period_create"),
        {"root": "T1", "year": "2026", "opens_on": "01/10/2026", "locks_on": "01/09/2026"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "đã có đợt xếp loại năm 2026" in body


def test_it_adds_a_policy_and_refuses_a_looser_one(login, tree, users, period):
    client = login(users.province_admin)
    data = {
        "organization": "T1-H1-CS1",
        "subject_type": "member",
        "quota_basis": "all",
        "quota_percent": "25",
        "min_months_in_branch": "6",
    }
    response = client.post(reverse("evaluations:policy_create", args=[period.pk]), data)
    assert response.status_code == 200 and "cấp dưới không được nới rộng" in response.content.decode()
    data["quota_percent"] = "15"
    assert client.post(reverse("evaluations:policy_create", args=[period.pk]), data).status_code == 302
    assert RatingPolicy.objects.get(organization=tree.grassroots).quota_percent == 15


def test_it_locks_the_period_from_its_page(login, tree, users, period):
    assert (
        login(users.grassroots_approver).post(reverse("evaluations:period_lock", args=[period.pk])).status_code == 403
    )
    login(users.province_admin).post(reverse("evaluations:period_lock", args=[period.pk]))
    period.refresh_from_db()
    assert period.is_locked


def test_it_edits_a_policys_criteria_frame(login, tree, users, period):
    policy = period.policies.get()
    url = reverse("evaluations:frame", args=[period.pk, policy.pk])
    client = login(users.province_admin)
    assert client.get(url).status_code == 200
    data = {
        "name": "Khung 100 điểm",
        "excellent_min_points": "90",
        "good_min_points": "70",
        "completed_min_points": "50",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-group": "Tư tưởng",
        "criteria-0-text": "Học tập nghị quyết",
        "criteria-0-max_points": "20",
        "criteria-0-order": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert [c.text for c in policy.frame.criteria.all()] == ["Học tập nghị quyết"]


def test_it_refuses_a_lower_frame_with_lower_thresholds(login, tree, users, period):
    from evaluations.models import CriteriaFrame

    CriteriaFrame.objects.create(policy=period.policies.get(), name="Tỉnh", excellent_min_points=90)
    lower = RatingPolicy.objects.create(
        period=period, organization=tree.grassroots, subject_type="member", quota_percent=20
    )
    data = {
        "name": "Xã",
        "excellent_min_points": "80",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    response = login(users.province_admin).post(reverse("evaluations:frame", args=[period.pk, lower.pk]), data)
    assert response.status_code == 200 and "Không được thấp hơn 90 điểm của cấp trên" in response.content.decode()


def test_it_hides_frames_outside_scope_and_refuses_non_admins(login, tree, users, period):
    url = reverse("evaluations:frame", args=[period.pk, period.policies.get().pk])
    assert login(users.outsider).get(url).status_code == 404
    assert login(users.province_approver).get(url).status_code == 403


def test_it_lets_a_province_admin_tighten_a_period_issued_above(login, tree, users):
    from datetime import date

    national = RatingPeriod.objects.create(
        year=2026, root=tree.root, opens_on=date(2026, 10, 1), locks_on=date(2026, 12, 31)
    )
    RatingPolicy.objects.create(period=national, organization=tree.root, subject_type="member", quota_percent=25)
    client = login(users.province_admin)
    body = client.get(reverse("evaluations:period", args=[national.pk])).content.decode()
    assert "Thêm quy định" in body and "Sửa đợt" not in body
    data = {
        "organization": "T1",
        "subject_type": "member",
        "quota_basis": "all",
        "quota_percent": "20",
        "min_months_in_branch": "6",
    }
    assert client.post(reverse("evaluations:policy_create", args=[national.pk]), data).status_code == 302
    data["organization"] = "TW"
    assert (
        "Không tìm thấy đơn vị"
        in client.post(reverse("evaluations:policy_create", args=[national.pk]), data).content.decode()
    )


def test_a_national_period_never_shows_another_provinces_policy(login, tree, users):
    from datetime import date

    national = RatingPeriod.objects.create(
        year=2026, root=tree.root, opens_on=date(2026, 10, 1), locks_on=date(2026, 12, 31)
    )
    RatingPolicy.objects.create(period=national, organization=tree.root, subject_type="member", quota_percent=25)
    RatingPolicy.objects.create(period=national, organization=tree.province2, subject_type="member", quota_percent=15)
    RatingPolicy.objects.create(period=national, organization=tree.province, subject_type="member", quota_percent=20)
    body = login(users.province_staff).get(reverse("evaluations:period", args=[national.pk])).content.decode()
    assert "Tỉnh đoàn Thái Nguyên" in body and "Trung ương Đoàn" in body  # its own and the one above
    assert "Tỉnh đoàn Hưng Yên" not in body
