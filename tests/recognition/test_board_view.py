from io import BytesIO

from openpyxl import load_workbook

from evaluations.recognition import services
from organizations.models import Organization
from tests.factories import make_unit


def _url(campaign, code="T1-H1", suffix=""):
    return f"/3-chu-dong/dot/{campaign.pk}/bang/{code}/{suffix}"


def test_the_district_board_lists_registrants_with_status_and_cadre_choice(
    login, users, campaign, flow, district_staff
):
    flow.submitted()
    body = login(users.district_approver).get(_url(campaign)).content.decode()
    assert "Đoàn xã Hùng Sơn" in body and "Đã gửi đăng ký" in body
    assert "Nguyễn Văn Theo Dõi" in body and "Gửi báo cáo lên tỉnh" in body


def test_the_board_assigns_inline_and_comes_back(login, users, campaign, flow, district_staff):
    reg = flow.submitted()
    response = login(users.district_approver).post(
        f"/3-chu-dong/dang-ky/{reg.pk}/phan-cong/", {"cadre": district_staff.pk, "next": _url(campaign)}
    )
    assert response.status_code == 302 and response.url == _url(campaign)
    reg.refresh_from_db()
    assert reg.cadre == district_staff and reg.status == "accepted"


def test_the_province_board_shows_every_registrant_of_the_province(login, users, campaign, flow):
    flow.submitted()
    body = login(users.province_staff).get(_url(campaign, "T1")).content.decode()
    assert "Đoàn xã Hùng Sơn" in body and "Gửi báo cáo lên tỉnh" not in body


def test_sending_the_report_records_the_date(login, users, campaign, flow):
    flow.submitted()
    client = login(users.district_approver)
    response = client.post(_url(campaign, suffix="gui-bao-cao/"))
    assert response.status_code == 302
    body = client.get(_url(campaign)).content.decode()
    assert "Đã báo cáo 1 đơn vị đăng ký" in body and "muộn" in body  # the deadline was last October


def test_sending_the_report_rejects_get_and_others(login, users, campaign):
    assert login(users.district_approver).get(_url(campaign, suffix="gui-bao-cao/")).status_code == 405
    assert login(users.province_staff).post(_url(campaign, suffix="gui-bao-cao/")).status_code == 403


def test_the_xlsx_lists_sent_registrations(login, users, campaign, flow):
    flow.submitted()
    response = login(users.district_approver).get(_url(campaign, suffix="xlsx/"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[6][:3] == ("STT", "Mã đơn vị", "Đoàn cơ sở")  # under the letterhead's six rows
    assert rows[7][1:3] == ("T1-H1-CS1", "Đoàn xã Hùng Sơn") and rows[7][6] == "Đã gửi đăng ký"


def test_the_xlsx_writes_formula_like_names_as_text(login, users, campaign, tree):
    unit = make_unit(tree.district, "T1-H1-CS9", '=HYPERLINK("x")', "co-so")
    reg = services.registration_save(
        campaign=campaign, organization=unit, by=users.superuser, plans={c.pk: "KH" for c in campaign.criteria.all()}
    )
    services.registration_submit(registration=reg, by=users.superuser)
    response = login(users.district_approver).get(_url(campaign, suffix="xlsx/"))
    ws = load_workbook(BytesIO(response.content)).active
    cell = [c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("x")'][0]
    assert cell.data_type == "s"


def test_a_grassroots_user_has_no_board(login, users, campaign):
    assert login(users.grassroots_approver).get(_url(campaign, "T1-H1-CS1")).status_code == 403


def test_an_outsider_gets_404(login, users, campaign):
    assert login(users.outsider).get(_url(campaign)).status_code == 404
    assert login(users.outsider).get(_url(campaign, suffix="xlsx/")).status_code == 404


def test_the_board_query_count_does_not_grow_with_registrants(
    login, users, campaign, tree, django_assert_max_num_queries
):
    client = login(users.district_approver)

    def add(n):
        start = Organization.objects.filter(level__code="co-so").count()
        for i in range(n):
            unit = make_unit(tree.district, f"T1-H1-X{start + i}", f"Đoàn xã {start + i}", "co-so")
            reg = services.registration_save(
                campaign=campaign,
                organization=unit,
                by=users.superuser,
                plans={c.pk: "KH" for c in campaign.criteria.all()},
            )
            services.registration_submit(registration=reg, by=users.superuser)

    add(2)
    with django_assert_max_num_queries(20) as small:
        client.get(_url(campaign))
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_url(campaign))


def test_ids_and_years_are_not_written_with_thousand_separators(login, users, campaign, flow, tree):
    from organizations.models import Post
    from tests.factories import make_user

    make_user("canbo.huyen2", Post.Role.STAFF, tree.district, id=4321)
    flow.submitted()
    body = login(users.district_approver).get(_url(campaign)).content.decode()
    assert 'value="4321"' in body and "4.321" not in body
