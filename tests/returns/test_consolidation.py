"""The province's return from its children's accepted returns, and where they differ from live data."""

from django.urls import reverse

from evaluations.models import Assessment
from evaluations.services import assessment_reopen
from reports.returns import consolidation, services
from reports.returns.models import Return

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


def test_other_kinds_are_not_consolidated(ratings, users, login):
    url = reverse("returns:consolidate", args=[ratings.province.code]) + "?kind=membership&year=2025"
    page = login(users.province_staff).get(url, follow=True).content.decode()
    assert "Chỉ báo cáo xếp loại chất lượng mới tổng hợp được" in page
