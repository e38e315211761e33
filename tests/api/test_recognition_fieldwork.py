""" "3 chủ động" registrations and "1+2" tallies through the API, scoped as their pages are."""

from fieldwork.models import VisitContent
from fieldwork.selectors import yearly_tally
from tests.fieldwork.helpers import YEAR, approved_visits, d, report


def test_it_lists_registrations_with_their_decision_in_scope_only(tree, users, bearer, flow, year):
    reg, decision = flow.decided()
    body = bearer(users.district_approver).get(f"/api/v1/recognition/?year={year}").json()
    assert body["results"] == [
        {
            "id": reg.pk, "year": year, "unit": tree.grassroots.code, "unit_name": tree.grassroots.name,
            "status": "recognised", "is_late": reg.is_late, "submitted_at": body["results"][0]["submitted_at"],
            "decision_number": "12-QĐ/HĐTN", "decision_signed_on": decision.signed_on.isoformat(),
        }
    ]  # fmt: skip
    assert bearer(users.outsider).get("/api/v1/recognition/").json()["results"] == []
    assert bearer(users.district_approver).get(f"/api/v1/recognition/?year={year - 1}").json()["results"] == []


def test_it_gives_the_fieldwork_tallies_of_the_staff_one_may_see(tree, users, bearer, fw):
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.grassroots, d(2, 10), 2, VisitContent.SURVEY)])
    report(visit)
    body = bearer(users.province_approver).get(f"/api/v1/fieldwork/?year={YEAR}").json()
    own = yearly_tally(fw.staff, YEAR)  # the staff member's own tally, as their rating shows it
    mine = next(t for t in body if t["staff"] == own.name)
    assert (mine["days"], mine["visits"], mine["province"]) == (own.days, own.visits, tree.province.code) == (
        2, 1, tree.province.code,
    )  # fmt: skip
    assert bearer(users.outsider).get(f"/api/v1/fieldwork/?year={YEAR}").json() == []


def test_it_refuses_a_bad_year_in_vietnamese(tree, users, bearer):
    response = bearer(users.district_approver).get("/api/v1/recognition/?year=1999")
    assert response.status_code == 400
    assert response.json()["year"] == ["Năm “1999” không hợp lệ (2000–2100)."]
