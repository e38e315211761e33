from evaluations.recognition import inbox


def test_the_unit_sees_its_registration_due(campaign, users):
    items = inbox.items(users.grassroots_secretary)
    assert len(items) == 1 and "đăng ký “3 chủ động”" in items[0].title
    assert items[0].url.endswith(f"/dot/{campaign.pk}/dang-ky/T1-H1-CS1/")


def test_a_sent_registration_is_no_longer_due_and_waits_at_the_district(flow, users, django_assert_max_num_queries):
    flow.submitted()
    assert inbox.items(users.grassroots_secretary) == []
    users.district_approver._doanhub_posts = None
    with django_assert_max_num_queries(3):
        items = inbox.items(users.district_approver)
    assert [(i.count, "chờ tiếp nhận" in i.title) for i in items] == [(1, True)]


def test_evaluated_units_wait_for_a_decision(flow, users):
    flow.evaluated()
    titles = [i.title for i in inbox.items(users.district_approver)]
    assert any("chờ quyết định công nhận" in t for t in titles)


def test_nothing_for_outsiders_or_users_without_posts(campaign, users):
    assert inbox.items(users.outsider) == []
    assert inbox.items(users.nopost) == []


def test_waiting_registrations_are_urgent_after_the_report_deadline(flow, campaign, users):
    from datetime import date, timedelta

    flow.submitted()
    campaign.report_deadline = date.today() - timedelta(days=1)
    campaign.save()
    assert [i.urgent for i in inbox.items(users.district_approver)] == [True]
    campaign.report_deadline = date.today() + timedelta(days=1)
    campaign.registration_deadline = date.today()
    campaign.save()
    assert [i.urgent for i in inbox.items(users.district_approver)] == [False]
