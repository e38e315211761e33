"""The member search by number: a card number for anyone who sees the roster, a CCCD or a phone
only for the record's keepers (members.permissions.can_see_personal_data). Anyone else's search
ignores those keys, so a number typed into the box never tells them whose it is."""

import io

import pytest
from django.urls import reverse

from members import selectors
from members.models import Member
from members.permissions import can_see_personal_data, personal_data_q

CCCD, PHONE, CARD = "031099004321", "0912345678", "123456789"
# each user searches from the unit their post is at
KEEPERS = [
    ("secretary", "T1-H1-CS1-CD1"),
    ("grassroots_approver", "T1-H1-CS1"),
    ("district_approver", "T1-H1"),
    ("province_staff", "T1"),
    ("province_approver", "T1"),
    ("province_admin", "T1"),
    ("superuser", "T1"),
]


@pytest.fixture
def kept(tree):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(citizen_id=CCCD, phone=PHONE, card_number=CARD)
    return member


def _found(client, code, q):
    page = client.get(reverse("members:unit", args=[code]), {"q": q}).context["page"]
    return [m.pk for m in page.rows]


@pytest.mark.parametrize(("role", "code"), KEEPERS)
def test_a_keeper_finds_the_member_by_cccd_and_by_phone(users, login, kept, role, code):
    client = login(getattr(users, role))
    assert _found(client, code, CCCD) == [kept.pk]
    assert _found(client, code, PHONE) == [kept.pk]


def test_a_grassroots_secretary_cannot_find_a_member_by_cccd_or_phone(users, login, kept):
    client = login(users.grassroots_secretary)  # sees the đoàn cơ sở's roster, keeps no record
    assert _found(client, "T1-H1-CS1", CCCD) == []
    assert _found(client, "T1-H1-CS1", PHONE) == []
    assert _found(client, "T1-H1-CS1", CARD) == [kept.pk]  # the card number is not personal data
    assert kept.pk in _found(client, "T1-H1-CS1", "")


def test_an_outsider_searching_there_gets_404(users, login, kept):
    response = login(users.outsider).get(reverse("members:unit", args=["T1-H1-CS1"]), {"q": CCCD})
    assert response.status_code == 404


def test_the_export_of_a_search_ignores_the_keys_too(users, login, kept):
    from openpyxl import load_workbook

    response = login(users.grassroots_secretary).get(reverse("members:export", args=["T1-H1-CS1"]), {"q": CCCD})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=6, values_only=True) if row[0]]
    assert names == []


def test_the_filter_keeps_exactly_the_rows_can_see_personal_data_allows(tree, users):
    everyone = list(Member.objects.select_related("branch"))
    for user in vars(users).values():
        kept = set(Member.objects.filter(personal_data_q(user)).values_list("pk", flat=True))
        assert kept == {m.pk for m in everyone if can_see_personal_data(user, m.branch)}, user.username


def test_the_command_line_search_has_every_key(tree, kept):
    assert [m.pk for m in selectors.roster(tree.grassroots, q=CCCD)] == [kept.pk]
