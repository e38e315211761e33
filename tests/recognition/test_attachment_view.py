from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.recognition import services


def _attach(flow, users):
    reg = flow.draft()
    return services.attachment_add(
        registration=reg, by=users.grassroots_secretary, file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 noi dung")
    )


def test_the_unit_and_the_district_download_it(login, users, flow):
    att = _attach(flow, users)
    for who in (users.grassroots_secretary, users.district_approver):
        response = login(who).get(f"/3-chu-dong/tep/{att.pk}/")
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 noi dung"
        assert "bien-ban.pdf" in response["Content-Disposition"]


def test_an_outsider_gets_404(login, users, flow):
    att = _attach(flow, users)
    assert login(users.outsider).get(f"/3-chu-dong/tep/{att.pk}/").status_code == 404


def test_the_unit_removes_it_but_the_district_cannot(login, users, flow):
    att = _attach(flow, users)
    assert login(users.district_approver).post(f"/3-chu-dong/tep/{att.pk}/xoa/").status_code == 403
    assert login(users.grassroots_secretary).post(f"/3-chu-dong/tep/{att.pk}/xoa/").status_code == 302
    assert not att.registration.attachments.exists()


def test_a_file_gone_from_the_store_answers_404_not_500(login, users, flow):
    att = _attach(flow, users)
    att.file.storage.delete(att.file.name)
    response = login(users.grassroots_secretary).get(f"/3-chu-dong/tep/{att.pk}/")
    assert response.status_code == 404
