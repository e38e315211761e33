"""The province's "3 chủ động" return from its districts' accepted returns (issue 18): the district
signed while its đoàn cơ sở was still waiting for a decision; the decision came afterwards."""

from datetime import date

from django.urls import reverse

from evaluations.recognition import reporting
from evaluations.recognition import services as recognition
from reports.returns import consolidation, services
from reports.returns.models import Return
from reports.serialize import to_json

from .conftest import all_met


def _decide_after_signing(flow, campaign, tree, users, district_staff) -> Return:
    """The district signs (1 registered, no result yet), then its registration is recognised."""
    reg = flow.submitted()
    ret = services.submit(kind="recognition", root=tree.district, year=campaign.year, by=users.district_approver)
    services.accept(ret=ret, by=users.province_approver)
    reg = recognition.cadre_assign(registration=reg, cadre=district_staff, by=users.district_approver)
    reg = recognition.evaluation_save(registration=reg, scores=all_met(campaign), by=users.district_approver)
    recognition.decision_issue(
        campaign=campaign,
        issued_by=tree.district,
        number="15-QĐ/HĐTN",
        signed_on=date.today(),
        signer="Bí thư Huyện đoàn",
        by=users.district_approver,
        outcomes=[recognition.Outcome(registration=reg, recognised=True, reason="")],
    )
    return Return.objects.get(pk=ret.pk)


def test_the_year_table_takes_the_signed_row_and_live_for_the_others(flow, campaign, tree, users, district_staff):
    signed = _decide_after_signing(flow, campaign, tree, users, district_staff)
    data = consolidation.from_children(kind="recognition", root=tree.province, year=campaign.year)
    live = reporting.build(root=tree.province, year=campaign.year)
    table, live_table = data.tables[0], live.tables[0]
    rows = {r[0]: r for r in table.rows}
    assert rows[tree.district.code][2:] == signed.data["tables"][0]["total"][2:]  # what the district signed
    assert rows[tree.district.code][2:8] == [1, 1, 100, 0, 0, 1]  # registered, no result when it signed
    assert {r[0]: r for r in live_table.rows}[tree.district.code][5] == 1  # live: recognised since
    assert rows[tree.direct.code] == {r[0]: r for r in live_table.rows}[tree.direct.code]  # no return: live
    assert table.total[1:8] == ["Tổng cộng", 2, 1, 50, 0, 0, 1]
    assert table.total[8] == 0  # 0 of 1 registered recognised
    trend_year = next(r for r in data.tables[1].rows if r[0] == campaign.year)
    assert trend_year[1:5] == [1, 0, 0, 1]  # the trend agrees with the table, not with live
    assert data.narrative[0].startswith("Số liệu tổng hợp từ báo cáo đã được tiếp nhận của 1/2 đơn vị")
    assert "1/2 đoàn cơ sở đăng ký" in data.narrative[1] and "Có 0 đơn vị được công nhận" in data.narrative[1]


def test_the_page_shows_the_difference_and_submits_the_consolidated_return(
    flow, campaign, tree, users, login, district_staff
):
    _decide_after_signing(flow, campaign, tree, users, district_staff)
    url = reverse("returns:consolidate", args=[tree.province.code]) + f"?kind=recognition&year={campaign.year}"
    page = login(users.province_staff).get(url).content.decode()
    assert page.count('data-testid="differs"') == 1 and f"Năm {campaign.year}" in page
    assert "chưa có báo cáo được tiếp nhận" in page  # T1-CS2
    assert login(users.outsider).get(url).status_code == 404
    assert login(users.province_staff).post(url, {"source": "children"}).status_code == 302
    ret = Return.objects.get(root=tree.province, kind="recognition")
    assert ret.source == Return.Source.CHILDREN
    assert (
        ret.data["tables"][0]["total"][5]
        == 0
        == to_json(consolidation.from_children(kind="recognition", root=tree.province, year=campaign.year))["tables"][
            0
        ]["total"][5]
    )


def test_fieldwork_returns_are_not_consolidated(campaign, tree, users, login):
    url = reverse("returns:consolidate", args=[tree.province.code]) + f"?kind=fieldwork&year={campaign.year}"
    page = login(users.province_staff).get(url, follow=True).content.decode()
    assert "báo cáo cán bộ đi cơ sở “1+2” là của riêng cán bộ đơn vị gửi" in page
