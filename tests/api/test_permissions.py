"""Each role × each endpoint, through a personal token: inside the scope 200, outside 404
(exactly as the pages), anonymous 401, a token acting with its user's posts' scope."""

import pytest

from reports.services import request_job

ROLES = [
    ("secretary", "branch"),
    ("grassroots_secretary", "grassroots"),
    ("grassroots_approver", "grassroots"),
    ("district_approver", "district"),
    ("province_staff", "province"),
    ("province_approver", "province"),
    ("province_admin", "province"),
    ("outsider", "branch_other"),
]
UNIT_ENDPOINTS = [
    "/api/v1/units/{code}/",
    "/api/v1/units/{code}/children/",
    "/api/v1/members/?unit={code}",
    "/api/v1/ratings/?unit={code}&year=2025",
    "/api/v1/rollups/?unit={code}&year=2025",
]
ALL_ENDPOINTS = [
    "/api/v1/units/",
    *UNIT_ENDPOINTS,
    "/api/v1/recognition/",
    "/api/v1/fieldwork/",
    "/api/v1/report-jobs/",
    "/api/v1/report-jobs/{job}/",
    "/api/v1/report-jobs/{job}/download/",
]


def _outside(tree, unit: str):
    return tree.branch if unit == "branch_other" else tree.branch_other


@pytest.mark.parametrize("role,unit", ROLES)
@pytest.mark.parametrize("endpoint", UNIT_ENDPOINTS)
def test_it_answers_inside_the_scope_and_404_outside(ratings, users, bearer, role, unit, endpoint):
    client = bearer(getattr(users, role))
    assert client.get(endpoint.format(code=getattr(ratings, unit).code)).status_code == 200
    assert client.get(endpoint.format(code=_outside(ratings, unit).code)).status_code == 404


@pytest.mark.parametrize("role,unit", ROLES)
def test_its_report_jobs_are_404_outside_the_scope(ratings, users, bearer, role, unit):
    job = request_job(kind="ratings", root=_outside(ratings, unit), year=2025, by=users.superuser)
    client = bearer(getattr(users, role))
    assert client.get(f"/api/v1/report-jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/report-jobs/{job.pk}/download/").status_code == 404
    refused = client.post("/api/v1/report-jobs/", {"kind": "ratings", "root": job.root.code, "year": 2025})
    assert refused.status_code == 404


@pytest.mark.parametrize("role,unit", ROLES)
def test_its_unit_list_holds_only_the_scope(ratings, users, bearer, role, unit):
    codes = {u["code"] for u in bearer(getattr(users, role)).get("/api/v1/units/").json()["results"]}
    assert getattr(ratings, unit).code in codes
    assert _outside(ratings, unit).code not in codes


def test_the_superuser_sees_every_unit_and_a_user_without_posts_none(ratings, users, bearer):
    assert bearer(users.superuser).get(f"/api/v1/units/{ratings.branch_other.code}/").status_code == 200
    client = bearer(users.nopost)
    assert client.get("/api/v1/units/").json()["results"] == []
    assert client.get(f"/api/v1/units/{ratings.province.code}/").status_code == 404
    assert client.get("/api/v1/members/").status_code == 400  # no unit of their own to default to


@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS)
def test_it_answers_401_to_anonymous_requests(ratings, anon, endpoint):
    response = anon.get(endpoint.format(code=ratings.province.code, job=1))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith("Cần đăng nhập, hoặc gửi mã truy cập cá nhân")


def test_it_refuses_writes_other_than_a_report_request(ratings, users, bearer):
    response = bearer(users.province_staff).delete(f"/api/v1/units/{ratings.province.code}/")
    assert response.status_code == 405
    assert "không nhận phương thức DELETE" in response.json()["detail"]


def test_the_browser_session_acts_with_the_same_scope(ratings, users, session):
    client = session(users.district_approver)
    assert client.get(f"/api/v1/units/{ratings.district.code}/children/").status_code == 200
    assert client.get(f"/api/v1/units/{ratings.direct.code}/").status_code == 404
