from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.recognition.models import Registration


def _url(campaign, code="T1-H1-CS1"):
    return f"/3-chu-dong/dot/{campaign.pk}/dang-ky/{code}/"


def _data(campaign, **extra):
    return {**{f"plan_{c.pk}": f"Kế hoạch {c.number}" for c in campaign.criteria.all()}, **extra}


def test_the_form_shows_one_box_per_criterion(login, users, campaign):
    body = login(users.grassroots_secretary).get(_url(campaign)).content.decode()
    assert body.count("<textarea") == 3 and "Gửi đăng ký" in body


def test_saving_a_draft_with_a_file(login, users, campaign):
    data = _data(campaign, save="1", file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF"))
    response = login(users.grassroots_secretary).post(_url(campaign), data)
    assert response.status_code == 302
    reg = Registration.objects.get()
    assert reg.status == "draft" and reg.attachments.get().original_name == "ke-hoach.pdf"


def test_submitting_sends_it_to_the_district(login, users, campaign):
    response = login(users.grassroots_secretary).post(_url(campaign), _data(campaign, submit="1"))
    reg = Registration.objects.get()
    assert response.status_code == 302 and response.url == f"/3-chu-dong/dang-ky/{reg.pk}/"
    assert reg.status == "submitted"


def test_submitting_with_a_missing_plan_names_the_criterion(login, users, campaign):
    data = _data(campaign, submit="1")
    data[f"plan_{campaign.criteria.get(number=3).pk}"] = ""
    response = login(users.grassroots_secretary).post(_url(campaign), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Chưa có kế hoạch cho tiêu chí: 3." in body
    assert not Registration.objects.exists()


def test_a_sent_registration_redirects_to_its_page(login, users, campaign, flow):
    reg = flow.submitted()
    response = login(users.grassroots_secretary).get(_url(campaign))
    assert response.status_code == 302 and response.url == f"/3-chu-dong/dang-ky/{reg.pk}/"


def test_late_registration_is_announced(login, users, campaign):
    campaign.registration_deadline = campaign.registration_deadline.replace(year=2000)
    campaign.save()
    assert "Đã quá hạn đăng ký" in login(users.grassroots_secretary).get(_url(campaign)).content.decode()


def test_the_district_cannot_register_for_the_unit(login, users, campaign):
    assert login(users.district_approver).get(_url(campaign)).status_code == 403


def test_an_outsider_gets_404(login, users, campaign):
    assert login(users.outsider).get(_url(campaign)).status_code == 404


def test_it_rejects_put(login, users, campaign):
    assert login(users.grassroots_secretary).put(_url(campaign)).status_code == 405


def test_the_year_is_written_plainly(login, users, campaign):
    body = login(users.grassroots_secretary).get(_url(campaign)).content.decode()
    assert f"năm {campaign.year}</h1>" in body
