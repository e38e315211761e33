from django.urls import reverse

from fieldwork.models import QuarterReport

from .helpers import YEAR, approved_visits, d, report


def test_the_quarter_report_page_compiles_and_submits(fw, tree, users, login):
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    report(visit)
    url = reverse("fieldwork:quarter_report", args=[YEAR, 1])
    client = login(fw.staff)
    assert "1 chuyến, 2 ngày" in client.get(url).content.decode()
    client.post(url, {"notes": "Hoàn thành kế hoạch quý"})
    assert QuarterReport.objects.get(assignment=fw.assignment, quarter=1).days == 2


def test_it_refuses_a_fifth_quarter_and_strangers(fw, users, login):
    assert login(fw.staff).get(reverse("fieldwork:quarter_report", args=[YEAR, 5])).status_code == 403
    assert login(users.outsider).get(reverse("fieldwork:quarter_report", args=[YEAR, 1])).status_code == 404
    assert login(fw.head).get(reverse("fieldwork:quarter_report", args=[YEAR, 1])).status_code == 404
