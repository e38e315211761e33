"""The province's return from its children's accepted returns, and where they differ from live data."""

from django.urls import reverse

from evaluations.models import Assessment
from evaluations.services import assessment_reopen
from members.models import Member
from reports.returns import consolidation, services
from reports.returns.models import Return
from reports.serialize import to_json
from reports.services import build_data

from .conftest import live


def _accepted_district(submit, users):
    ret = submit()
    return services.accept(ret=ret, by=users.province_approver)


def _reopen(ratings, users):
    assessment = Assessment.objects.get(member=ratings.members[0], period__year=2025)
    assessment_reopen(assessment=assessment, by=users.grassroots_approver, reason="Đơn khiếu nại")


def test_from_children_takes_the_signed_rows_and_live_for_the_others(submit, ratings, users):
    _accepted_district(submit, users)
    _reopen(ratings, users)  # after the district signed: live now has one excellent member fewer
    data = consolidation.from_children(kind="ratings", root=ratings.province, year=2025)
    members = next(t for t in data.tables if t.title.startswith("Đoàn viên — "))
    rows = {r[0]: r for r in members.rows}
    excellent = members.columns.index("HTXSNV (số lượng)")
    assert rows[ratings.district.code][excellent] == 2  # what the district signed
    assert rows[ratings.direct.code] == next(
        r
        for t in live(ratings.province).tables
        if t.title.startswith("Đoàn viên — ")
        for r in t.rows
        if r[0] == ratings.direct.code
    )
    assert members.total[excellent] == 2 and members.total[2] == 6
    summary = {r[0]: r for r in data.tables[0].rows}
    assert summary["Đoàn viên"][1:] == members.total[2:]
    assert data.narrative[0].startswith("Số liệu tổng hợp từ báo cáo đã được tiếp nhận của 1/2 đơn vị")


def test_a_return_from_children_is_submitted_through_the_service(submit, ratings, users):
    _accepted_district(submit, users)
    ret = services.submit(
        kind="ratings", root=ratings.province, year=2025, source=Return.Source.CHILDREN, by=users.province_staff
    )
    assert ret.source == Return.Source.CHILDREN and "đã được tiếp nhận" in ret.data["narrative"][0]


def test_the_page_shows_where_signed_and_live_differ_and_why(submit, ratings, users, login):
    _accepted_district(submit, users)
    _reopen(ratings, users)
    url = reverse("returns:consolidate", args=[ratings.province.code]) + "?kind=ratings&year=2025"
    page = login(users.province_staff).get(url).content.decode()
    assert 'data-testid="differs"' in page and "lý do: Đơn khiếu nại" in page
    assert "chưa có báo cáo được tiếp nhận" in page  # the cơ sở directly under the province
    assert login(users.outsider).get(url).status_code == 404
    response = login(users.province_staff).post(url, {"source": "children"})
    ret = Return.objects.get(root=ratings.province)
    assert response.status_code == 302 and ret.source == Return.Source.CHILDREN
    bad = login(users.province_staff).post(url, {"source": "tu-doan"}).content.decode()
    assert "Nguồn số liệu không hợp lệ." in bad


def test_only_the_units_officers_submit_from_the_page(submit, ratings, users, login, tw_staff):
    url = reverse("returns:consolidate", args=[ratings.province.code]) + "?kind=ratings&year=2025"
    assert login(tw_staff).post(url, {"source": "live"}).status_code == 403
    assert not Return.objects.exists()


def test_fieldwork_is_not_consolidated(ratings, users, login):
    url = reverse("returns:consolidate", args=[ratings.province.code]) + "?kind=fieldwork&year=2025"
    page = login(users.province_staff).get(url, follow=True).content.decode()
    assert "Chỉ báo cáo xếp loại chất lượng, thống kê đoàn viên và đoàn cơ sở “3 chủ động” mới tổng hợp được" in page


# ---- membership: each table's row is the child's totals row of the same sheet ---------------------


def _signed_membership(ratings, users) -> Return:
    """The district signs its membership return, the province accepts it; then a record is
    corrected (a member of CD1 entered as male is female): live differs from what was signed."""
    member = ratings.members[0]
    Member.objects.filter(pk=member.pk).update(gender=Member.Gender.MALE)
    ret = services.submit(kind="membership", root=ratings.district, year=2025, by=users.district_approver)
    services.accept(ret=ret, by=users.province_approver)
    Member.objects.filter(pk=member.pk).update(gender=Member.Gender.FEMALE)
    return Return.objects.get(pk=ret.pk)


def _sheet(data, sheet):
    return next(t for t in (data if isinstance(data, dict) else to_json(data))["tables"] if t["sheet"] == sheet)


def test_a_membership_return_from_children_takes_each_tables_signed_totals(ratings, users):
    signed = _signed_membership(ratings, users)
    data = consolidation.from_children(kind="membership", root=ratings.province, year=2025)
    live = build_data(kind="membership", root=ratings.province, year=2025, years=[])
    for sheet in ("Độ tuổi", "Giới tính, dân tộc", "Biến động"):
        rows = {r[0]: r for r in _sheet(data, sheet)["rows"]}
        assert rows[ratings.district.code][2:] == _sheet(signed.data, sheet)["total"][2:]  # what it signed
        live_rows = {r[0]: r for r in _sheet(live, sheet)["rows"]}
        assert rows[ratings.direct.code] == live_rows[ratings.direct.code]  # no accepted return: live
    structure = _sheet(data, "Giới tính, dân tộc")
    female = structure["columns"].index("Nữ")
    assert structure["total"][female] == _sheet(live, "Giới tính, dân tộc")["total"][female] - 1
    assert structure["total"][2] == 6  # 5 signed by T1-H1, 1 live in T1-CS2
    assert data.narrative[0].startswith("Số liệu tổng hợp từ báo cáo đã được tiếp nhận của 1/2 đơn vị")
    assert data.narrative[1].startswith(f"Tính đến 15/12/2025, {ratings.province.name} có 6 đoàn viên, trong đó nữ ")
    women = structure["total"][female]
    assert f"nữ {women} " in data.narrative[1]


def test_a_membership_return_from_children_is_submitted_from_the_page_showing_the_difference(ratings, users, login):
    _signed_membership(ratings, users)
    url = reverse("returns:consolidate", args=[ratings.province.code]) + "?kind=membership&year=2025"
    page = login(users.province_staff).get(url).content.decode()
    assert page.count('data-testid="differs"') == 1 and "Giới tính, dân tộc" in page and "Bảng số liệu" in page
    assert "chưa có báo cáo được tiếp nhận" in page  # T1-CS2
    assert login(users.outsider).get(url).status_code == 404
    assert login(users.province_staff).post(url, {"source": "children"}).status_code == 302
    ret = Return.objects.get(root=ratings.province, kind="membership")
    assert ret.source == Return.Source.CHILDREN and _sheet(ret.data, "Độ tuổi")["total"][2] == 6
