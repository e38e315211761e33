"""Ratings and the rollup carry the ratings report's own numbers (tests/reports/conftest.py)."""

from reports.serialize import from_json


def test_it_gives_the_years_results_per_subject_type(ratings, users, bearer):
    body = bearer(users.province_staff).get(f"/api/v1/ratings/?unit={ratings.province.code}&year=2025").json()
    members = next(r for r in body if r["subject_type"] == "member")
    assert members == {
        "year": 2025, "subject_type": "member", "total": 6,
        "htxsnv": 2, "httnv": 1, "htnv": 1, "khtnv": 1, "not_rated": 1,
    }  # fmt: skip
    branches = next(r for r in body if r["subject_type"] == "branch")
    assert (branches["total"], branches["htxsnv"], branches["httnv"], branches["not_rated"]) == (3, 1, 1, 1)


def test_the_rollup_equals_the_reports_table_per_unit(done_job, users, bearer):
    body = bearer(users.province_staff).get(f"/api/v1/rollups/?unit={done_job.root.code}&year=2025").json()
    members = {r["unit"]: r for r in body["by_unit"] if r["subject_type"] == "member"}
    table = next(t for t in from_json(done_job.result).tables if "Đoàn viên" in t.title and "2025" in t.title)
    compared = []
    for code, _name, total, n1, _r1, n2, _r2, n3, _r3, n4, _r4, rest, _rr in table.rows:
        if code in members:
            row = members[code]
            assert [row[k] for k in ("total", "htxsnv", "httnv", "htnv", "khtnv", "not_rated")] == [
                total, n1, n2, n3, n4, rest,
            ]  # fmt: skip
            compared.append(code)
    assert sorted(compared) == ["T1-CS2", "T1-H1"]
    assert members["T1-H1"]["htxsnv"] == 2 and members["T1-H1"]["not_rated"] == 1
    levels = {r["level"]: r for r in body["by_level"] if r["subject_type"] == "member"}
    assert levels["chi-doan"]["total"] == 6


def test_it_refuses_a_bad_year_in_vietnamese(ratings, users, bearer):
    response = bearer(users.province_staff).get(f"/api/v1/ratings/?unit={ratings.province.code}&year=hai")
    assert response.status_code == 400
    assert response.json()["year"] == ["Năm “hai” không hợp lệ (2000–2100)."]
