from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.recognition import inbox, rules, services
from organizations.models import Post
from tests.factories import make_unit, make_user


def test_the_unit_sees_its_registration_due(campaign, users):
    items = inbox.items(users.grassroots_secretary)
    assert len(items) == 1 and "đăng ký “3 chủ động”" in items[0].title
    assert items[0].url.endswith(f"/dot/{campaign.pk}/dang-ky/T1-H1-CS1/")


def test_a_sent_registration_is_no_longer_due_and_waits_at_the_district(
    flow, campaign, users, django_assert_max_num_queries
):
    flow.submitted()
    assert inbox.items(users.grassroots_secretary) == []
    users.district_approver._doanhub_posts = None
    # on the report deadline itself: the district's report is not overdue yet
    with django_assert_max_num_queries(3):
        items = inbox.items(users.district_approver, today=campaign.report_deadline)
    assert [(i.count, "chờ tiếp nhận" in i.title) for i in items] == [(1, True)]


def test_evaluated_units_wait_for_a_decision(flow, users):
    flow.evaluated()
    titles = [i.title for i in inbox.items(users.district_approver)]
    assert any("chờ quyết định công nhận" in t for t in titles)


def test_nothing_for_outsiders_or_users_without_posts(campaign, users):
    assert inbox.items(users.outsider) == []
    assert inbox.items(users.nopost) == []


def test_waiting_registrations_are_urgent_after_the_report_deadline(flow, campaign, users):
    flow.submitted()
    campaign.report_deadline = date.today() - timedelta(days=1)
    campaign.save()
    waiting = [i for i in inbox.items(users.district_approver) if "chờ tiếp nhận" in i.title]
    assert [i.urgent for i in waiting] == [True]
    campaign.report_deadline = date.today() + timedelta(days=1)
    campaign.registration_deadline = date.today()
    campaign.save()
    assert [i.urgent for i in inbox.items(users.district_approver)] == [False]


# --- the district's report to the province, past its deadline ------------------------------------


def _late(campaign):
    return campaign.report_deadline + timedelta(days=1)


def _report_items(user, campaign, today=None):
    return [i for i in inbox.items(user, today=today or _late(campaign)) if "chưa báo cáo" in i.title]


def test_the_district_sees_its_unsent_report_once_the_deadline_has_passed(campaign, tree, users):
    assert _report_items(users.district_approver, campaign, today=campaign.report_deadline) == []
    [item] = _report_items(users.district_approver, campaign)
    assert item.urgent and item.url == f"/3-chu-dong/dot/{campaign.pk}/bang/T1-H1/"
    assert item.title == (
        f"Huyện đoàn Đại Từ: chưa báo cáo đăng ký “3 chủ động” năm {campaign.year} lên Tỉnh đoàn Thái Nguyên "
        f"(quá hạn 1 ngày, hạn {campaign.report_deadline:%d/%m/%Y})"
    )


def test_a_report_sent_even_late_clears_the_item(campaign, tree, users):
    services.report_send(campaign=campaign, unit=tree.district, by=users.district_approver)
    assert _report_items(users.district_approver, campaign) == []
    assert _report_items(users.province_approver, campaign) == []


def test_the_province_sees_how_many_districts_are_late(campaign, tree, users):
    make_unit(tree.province, "T1-H2", "Huyện đoàn Phú Lương", "huyen")
    [item] = _report_items(users.province_approver, campaign)
    assert (item.count, item.urgent, item.url) == (2, True, f"/3-chu-dong/dot/{campaign.pk}/kiem-tra/")
    assert item.title.startswith(f"2 đơn vị chưa báo cáo đăng ký “3 chủ động” năm {campaign.year}")
    services.report_send(campaign=campaign, unit=tree.district, by=users.district_approver)
    assert [i.count for i in _report_items(users.province_approver, campaign)] == [1]


def test_a_campaign_of_a_past_year_is_no_longer_chased(campaign, users):
    next_year = date(campaign.year + 1, 1, 2)
    assert _report_items(users.district_approver, campaign, today=next_year) == []


def test_units_that_do_not_report_see_nothing(campaign, tree, users):
    """Only a district's standing office signs the report, only the province's checks it: the
    province's staff, a đoàn cơ sở, an intermediate unit under one and an outsider see nothing."""
    intermediate = make_user("duyet.bophan", Post.Role.APPROVER, tree.intermediate)
    district_staff = make_user("canbo.huyen2", Post.Role.STAFF, tree.district)
    for user in (users.province_staff, users.grassroots_approver, intermediate, district_staff, users.outsider):
        assert _report_items(user, campaign) == [], user.username
    assert not rules.can_send_report(intermediate, campaign, tree.intermediate)


def test_the_overdue_reports_cost_the_same_queries_for_any_number_of_districts(
    campaign, tree, users, django_assert_max_num_queries
):
    def count(user):
        user._doanhub_posts = None
        with CaptureQueriesContext(connection) as ctx:
            inbox.items(user, today=_late(campaign))
        return len(ctx)

    before = (count(users.district_approver), count(users.province_approver))
    for n in range(2, 8):
        district = make_unit(tree.province, f"T1-H{n}", f"Huyện đoàn {n}", "huyen")
        make_unit(district, f"T1-H{n}-CS1", f"Đoàn xã {n}", "co-so")
    assert (count(users.district_approver), count(users.province_approver)) == before
    users.province_approver._doanhub_posts = None
    with django_assert_max_num_queries(5):
        [item] = _report_items(users.province_approver, campaign)
    assert item.count == 7


def test_the_home_page_lists_the_overdue_report(login, campaign, users):
    campaign.report_deadline = date.today() - timedelta(days=1)
    campaign.save()
    body = login(users.district_approver).get("/").content.decode()
    assert "Huyện đoàn Đại Từ: chưa báo cáo đăng ký “3 chủ động”" in body
    assert "chưa báo cáo đăng ký" not in login(users.outsider).get("/").content.decode()
