def _url(reg):
    return f"/3-chu-dong/dang-ky/{reg.pk}/danh-gia/"


def _data(campaign, fail=None, evidence="Biên bản"):
    data = {}
    for c in campaign.criteria.all():
        data[f"met_{c.pk}"] = "0" if c.number == fail else "1"
        data[f"evidence_{c.pk}"] = evidence
    return data


def test_the_district_scores_each_criterion(login, users, flow, campaign):
    reg = flow.accepted()
    client = login(users.district_approver)
    assert client.get(_url(reg)).content.decode().count('type="radio"') == 6
    response = client.post(_url(reg), _data(campaign, fail=1))
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "evaluated" and reg.evaluations.filter(met=False).count() == 1


def test_missing_evidence_is_named(login, users, flow, campaign):
    reg = flow.accepted()
    response = login(users.district_approver).post(_url(reg), _data(campaign, evidence=""))
    assert response.status_code == 200 and "Trường này là bắt buộc" in response.content.decode()


def test_evaluating_a_submitted_registration_is_refused(login, users, flow, campaign):
    reg = flow.submitted()
    response = login(users.district_approver).post(_url(reg), _data(campaign))
    assert "Không thể đánh giá" in response.content.decode()


def test_the_unit_cannot_evaluate_itself(login, users, flow):
    reg = flow.accepted()
    assert login(users.grassroots_approver).get(_url(reg)).status_code == 403


def test_it_rejects_delete(login, users, flow):
    reg = flow.accepted()
    assert login(users.district_approver).delete(_url(reg)).status_code == 405
