from evaluations.recognition.models import Campaign

CREATE = "/3-chu-dong/dot/tao/"


def test_the_province_opens_a_campaign_with_default_deadlines(login, users, tree):
    client = login(users.province_approver)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE,
        {
            "province": tree.province.pk,
            "year": 2031,
            "variant": "4",
            "name": "",
            "registration_deadline": "",
            "report_deadline": "05/11/2030",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == f"/3-chu-dong/dot/{campaign.pk}/"
    assert campaign.criteria.count() == 4 and campaign.registration_deadline.isoformat() == "2030-10-10"
    assert campaign.report_deadline.isoformat() == "2030-11-05"


def test_a_bad_date_gets_a_vietnamese_message(login, users, tree):
    response = login(users.province_approver).post(
        CREATE, {"province": tree.province.pk, "year": 2031, "variant": "3", "registration_deadline": "31/02/2030"}
    )
    assert response.status_code == 200 and "Nhập một ngày hợp lệ" in response.content.decode()


def test_a_duplicate_year_is_refused_on_the_page(login, users, tree, campaign):
    response = login(users.province_approver).post(
        CREATE, {"province": tree.province.pk, "year": campaign.year, "variant": "3"}
    )
    assert "đã có đợt" in response.content.decode()


def test_a_district_cannot_open_a_campaign(login, users):
    assert login(users.district_approver).get(CREATE).status_code == 403


def test_the_campaign_page_lists_criteria(login, users, campaign):
    body = login(users.grassroots_secretary).get(f"/3-chu-dong/dot/{campaign.pk}/").content.decode()
    assert "Chủ động quản lý đoàn viên" in body and "Sửa</a>" not in body


def test_the_campaign_page_is_404_outside_the_province(login, users, campaign):
    assert login(users.outsider).get(f"/3-chu-dong/dot/{campaign.pk}/").status_code == 404


def test_the_province_edits_a_criterion(login, users, campaign):
    url = f"/3-chu-dong/dot/{campaign.pk}/tieu-chi/2/"
    client = login(users.province_approver)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Chủ động xây dựng kế hoạch", "description": "", "sub_criteria": "Có kế hoạch năm"}
    )
    assert response.status_code == 302
    assert campaign.criteria.get(number=2).sub_criteria == "Có kế hoạch năm"


def test_criterion_editing_is_forbidden_to_a_district_and_404_to_an_outsider(login, users, campaign):
    url = f"/3-chu-dong/dot/{campaign.pk}/tieu-chi/them/"
    assert login(users.district_approver).get(url).status_code == 403
    assert login(users.outsider).get(url).status_code == 404
