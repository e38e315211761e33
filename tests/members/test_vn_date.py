"""Member workflows date what they record by Việt Nam's day (settings.TIME_ZONE), from the site's
clock (django.utils.timezone), like the audit times beside them: at 01:30 on 1 January in Hà Nội
it is still 31 December in UTC."""

from datetime import UTC, date, datetime

from django.utils import timezone

from members import services
from members.models import MemberEvent

NEW_YEAR_IN_HANOI = datetime(2026, 12, 31, 18, 30, tzinfo=UTC)  # 01:30 on 01/01/2027 in UTC+7


def test_an_edit_is_dated_by_the_day_in_viet_nam(tree, users, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_IN_HANOI)
    member = tree.members[0]
    services.update_member(member=member, by=users.secretary, phone="0912345678")
    event = MemberEvent.objects.filter(member=member, kind=MemberEvent.Kind.EDITED).get()
    assert event.date == date(2027, 1, 1)


def test_a_transfer_request_without_a_day_is_dated_by_the_day_in_viet_nam(tree, users, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_IN_HANOI)
    member = tree.members[0]
    services.request_transfer(member=member, to_branch=tree.branch2, by=users.secretary, reason="Chuyển nơi ở")
    assert MemberEvent.objects.filter(member=member).latest("pk").date == date(2027, 1, 1)
