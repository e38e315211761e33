URL = "/3-chu-dong/"


def test_the_menu_links_to_the_app(login, users):
    """For the tổ chức cơ sở Đoàn, which registers (a plain chi đoàn's secretary has no entry:
    tests/organizations/test_menu_by_role.py)."""
    assert 'href="/3-chu-dong/"' in login(users.grassroots_secretary).get("/").content.decode()


def test_the_unit_sees_its_campaign_and_a_register_button(login, users, campaign):
    body = login(users.grassroots_secretary).get(URL).content.decode()
    assert campaign.name in body and f"/dot/{campaign.pk}/dang-ky/T1-H1-CS1/" in body


def test_the_district_sees_its_board(login, users, campaign):
    body = login(users.district_approver).get(URL).content.decode()
    assert f"/dot/{campaign.pk}/bang/T1-H1/" in body and "Kiểm tra quyết định" not in body


def test_the_province_sees_review_and_commendation(login, users, campaign):
    body = login(users.province_approver).get(URL).content.decode()
    assert f"/dot/{campaign.pk}/kiem-tra/" in body and "/tuyen-duong/T1/" in body and "Mở đợt mới" in body


def test_an_outsider_sees_no_campaign(login, users, campaign):
    body = login(users.outsider).get(URL).content.decode()
    assert campaign.name not in body and "Chưa có đợt" in body


def test_it_needs_login(client):
    assert client.get(URL).status_code == 302


def test_it_rejects_post(login, users):
    assert login(users.secretary).post(URL).status_code == 405


def test_the_query_count_does_not_grow_with_campaigns(login, users, tree, django_assert_max_num_queries):
    from evaluations.recognition import services

    client = login(users.grassroots_secretary)
    services.campaign_create(province=tree.province, year=2030, by=users.province_approver)
    client.get(URL)
    with django_assert_max_num_queries(12) as first:
        client.get(URL)
    for year in (2031, 2032, 2033):
        services.campaign_create(province=tree.province, year=year, by=users.province_approver)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)
