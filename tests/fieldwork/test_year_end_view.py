from django.urls import reverse

from .helpers import YEAR


def _url(code="T1"):
    return reverse("fieldwork:year_end", args=[code]) + f"?nam={YEAR}"


def test_the_standing_office_sees_the_year_end_report(fw, users, login):
    page = login(users.province_approver).get(_url()).content.decode()
    assert "0/2 cán bộ hoàn thành kế hoạch, đạt tỷ lệ 0,0%." in page
    assert "Tỷ lệ hoàn thành theo ban" in page


def test_staff_are_refused_and_outsiders_get_404(fw, users, login):
    assert login(fw.staff).get(_url()).status_code == 403
    assert login(users.outsider).get(_url()).status_code == 404
