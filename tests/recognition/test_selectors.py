from evaluations.recognition import selectors, services


def test_recognition_for_is_none_without_a_sent_registration(flow, campaign, tree):
    assert selectors.recognition_for(tree.grassroots, campaign.year) is None
    flow.draft()
    assert selectors.recognition_for(tree.grassroots, campaign.year) is None


def test_recognition_for_reports_the_status_before_the_decision(flow, campaign, tree):
    flow.accepted()
    r = selectors.recognition_for(tree.grassroots, campaign.year)
    assert r.status == "accepted" and r.recognised is False and r.decision_number == ""


def test_recognition_for_gives_the_decision_once_recognised(flow, campaign, tree):
    reg, decision = flow.decided()
    r = selectors.recognition_for(tree.grassroots, campaign.year)
    assert r.recognised is True and selectors.is_recognised(tree.grassroots, campaign.year)
    assert not selectors.is_recognised(tree.grassroots, campaign.year - 1)
    assert (r.decision_number, r.decision_date, r.issued_by) == (
        decision.number,
        decision.signed_on,
        tree.district.name,
    )
    assert selectors.recognitions_for([tree.grassroots.pk, tree.direct.pk], campaign.year) == {tree.grassroots.pk: r}


def test_recognised_units_lists_years_under_a_root(flow, campaign, tree, users):
    flow.decided()
    assert selectors.recognised_units(tree.province, [campaign.year]) == {tree.grassroots.pk: {campaign.year}}
    assert selectors.recognised_units(tree.province, [campaign.year - 1]) == {}
    assert selectors.recognised_units(tree.direct, [campaign.year]) == {}


def test_not_recognised_is_not_in_recognised_units(flow, campaign, tree):
    flow.decided(recognised=False)
    assert selectors.recognised_units(tree.province, [campaign.year]) == {}
    assert selectors.recognition_for(tree.grassroots, campaign.year).reason == "Chưa đạt"


def test_campaigns_are_visible_below_and_inside_the_province_only(campaign, users):
    assert list(selectors.visible_campaigns(users.grassroots_secretary)) == [campaign]
    assert list(selectors.visible_campaigns(users.province_staff)) == [campaign]
    assert list(selectors.visible_campaigns(users.outsider)) == []
    assert list(selectors.visible_campaigns(users.nopost)) == []


def test_board_units_for_each_role(campaign, tree, users):
    assert selectors.board_units(users.district_approver, campaign) == [tree.district]
    assert selectors.board_units(users.province_staff, campaign) == [tree.province]
    assert selectors.board_units(users.grassroots_secretary, campaign) == []


def test_commendation_rows_sort_by_years_recognised(flow, campaign, tree, users):
    flow.decided()
    rows = selectors.commendation_rows(tree.province, [campaign.year - 1, campaign.year])
    assert [(r["org"], r["years"], r["marks"], r["parent"]) for r in rows] == [
        (tree.grassroots, [campaign.year], [False, True], tree.district.name)
    ]
    assert services.meets_all_criteria(campaign.registrations.get()) is True
