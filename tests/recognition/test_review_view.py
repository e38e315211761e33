from evaluations.recognition import services


def _url(campaign):
    return f"/3-chu-dong/dot/{campaign.pk}/kiem-tra/"


def test_the_province_reviews_decisions_and_reports(login, users, campaign, tree, flow):
    _, decision = flow.decided()
    services.flag_raise(decision=decision, note="Xem lại", by=users.province_approver)
    services.report_send(campaign=campaign, unit=tree.district, by=users.district_approver)
    body = login(users.province_approver).get(_url(campaign)).content.decode()
    assert "số 12-QĐ/HĐTN" in body and "1 cần xem lại" in body and "Huyện đoàn Đại Từ" in body


def test_the_review_is_for_the_province_standing_office(login, users, campaign):
    assert login(users.province_admin).get(_url(campaign)).status_code == 200
    assert login(users.district_approver).get(_url(campaign)).status_code == 403
    assert login(users.province_staff).get(_url(campaign)).status_code == 403
    assert login(users.outsider).get(_url(campaign)).status_code == 404


def test_the_review_query_count_is_constant(login, users, campaign, tree, flow, django_assert_max_num_queries):
    flow.decided()
    client = login(users.province_approver)
    with django_assert_max_num_queries(15):
        client.get(_url(campaign))


def test_the_review_names_the_districts_that_have_not_reported(login, users, campaign, tree):
    client = login(users.province_approver)
    body = client.get(_url(campaign)).content.decode()
    assert 'data-testid="missing-reports"' in body and "1 đơn vị chưa báo cáo" in body
    assert f"/3-chu-dong/dot/{campaign.pk}/bang/T1-H1/" in body
    # a đoàn cơ sở directly under the province and the intermediate unit under it do not report
    assert "Đoàn trường Cao đẳng Sư phạm" not in body and "khoa Toán" not in body
    services.report_send(campaign=campaign, unit=tree.district, by=users.district_approver)
    assert 'data-testid="missing-reports"' not in client.get(_url(campaign)).content.decode()
