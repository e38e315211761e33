"""Same person, one record (issue 14): a CCCD taken by a concurrent "Thêm đoàn viên" is the form's
error, never a 500; without a CCCD, a member of the chi đoàn with the same name and birth date is
taken for the same person unless the officer ticks "Vẫn thêm"."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from members import services
from members.models import Member

CCCD = "079200000123"


def form_data(**changes):
    return {
        "full_name": "Lò Thị Mai",
        "birth_date": "10/02/2004",
        "gender": "nu",
        "ethnicity": "Thái",
        "religion": "Không",
        "citizen_id": "",
        **changes,
    }


def add_url(tree):
    return reverse("members:create", args=[tree.branch.code])


def new_member(tree, users, **fields):
    values = {"full_name": "Lò Thị Mai", "birth_date": date(2004, 2, 10), "gender": "nu", **fields}
    return services.create_member(branch=tree.branch, by=users.secretary, **values)


# -- without a CCCD: a likely duplicate asks for confirmation --------------------------------------


def test_the_service_refuses_a_likely_duplicate_without_a_cccd(tree, users):
    new_member(tree, users)
    with pytest.raises(ValidationError) as refused:
        new_member(tree, users, full_name="lo thi  MAI")  # the same name, folded
    [message] = refused.value.message_dict["confirm_duplicate"]
    assert message.startswith("Chi đoàn “Chi đoàn thôn Đồng Tâm” đã có đoàn viên Lò Thị Mai, sinh ngày 10/02/2004")
    assert "“Vẫn thêm”" in message and Member.objects.filter(name_folded="lo thi mai").count() == 1


def test_the_service_adds_a_likely_duplicate_once_confirmed(tree, users):
    new_member(tree, users)
    new_member(tree, users, confirm_duplicate=True)
    assert Member.objects.filter(name_folded="lo thi mai").count() == 2


def test_a_cccd_tells_two_people_apart(tree, users):
    new_member(tree, users, citizen_id="079200000001")
    new_member(tree, users, citizen_id="079200000002")
    assert Member.objects.filter(name_folded="lo thi mai").count() == 2


def test_the_same_name_in_another_chi_doan_or_born_another_day_is_not_a_duplicate(tree, users):
    new_member(tree, users)
    services.create_member(
        branch=tree.branch2, by=users.superuser, full_name="Lò Thị Mai", birth_date=date(2004, 2, 10), gender="nu"
    )
    new_member(tree, users, birth_date=date(2004, 2, 11))
    assert Member.objects.filter(name_folded="lo thi mai").count() == 3


def test_the_page_warns_of_a_likely_duplicate_then_adds_once_confirmed(tree, users, login):
    client = login(users.secretary)
    assert client.post(add_url(tree), form_data()).status_code == 302
    page = client.post(add_url(tree), form_data())
    text = page.content.decode()
    assert page.status_code == 200 and "đã có đoàn viên Lò Thị Mai, sinh ngày 10/02/2004" in text
    assert 'name="confirm_duplicate"' in text and Member.objects.filter(name_folded="lo thi mai").count() == 1
    assert client.post(add_url(tree), form_data(confirm_duplicate="on")).status_code == 302
    assert Member.objects.filter(name_folded="lo thi mai").count() == 2


def test_the_edit_form_has_no_confirmation_box(tree, users, login):
    page = login(users.secretary).get(reverse("members:edit", args=[tree.members[0].pk])).content.decode()
    assert 'name="confirm_duplicate"' not in page


def test_the_add_page_of_a_chi_doan_outside_the_scope_is_404(tree, users, login):
    client = login(users.outsider)
    assert client.post(add_url(tree), form_data()).status_code == 404
    assert not Member.objects.filter(name_folded="lo thi mai").exists()


# -- with a CCCD: two officers at the same moment ------------------------------------------------


def _both_pass_the_check(monkeypatch, parties: int = 2):
    """Each caller waits after ``check_member`` until all have passed it: both have looked, found
    no one with the CCCD, and only then insert (what two clicks a moment apart do)."""
    barrier = threading.Barrier(parties, timeout=30)
    real = services.check_member

    def check_then_wait(*args, **kwargs):
        real(*args, **kwargs)
        barrier.wait()

    monkeypatch.setattr(services, "check_member", check_then_wait)


def _in_threads(calls):
    outcomes = []

    def run(call):
        try:
            outcomes.append(call())
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test looks at)
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_adds_with_one_cccd_give_one_record_and_an_error(tree, users, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one write lock: the two inserts never race there")
    _both_pass_the_check(monkeypatch)
    outcomes = _in_threads([lambda: new_member(tree, users, citizen_id=CCCD)] * 2)
    errors = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(errors) == 1 and Member.objects.filter(citizen_id=CCCD).count() == 1
    assert errors[0].message_dict == {"citizen_id": [f"Số CCCD {CCCD} đã thuộc về một đoàn viên khác."]}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_the_add_page_give_one_record_and_a_form_error(tree, users, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one write lock: the two inserts never race there")
    _both_pass_the_check(monkeypatch)

    def post():
        client = Client()
        client.force_login(users.secretary)
        return client.post(add_url(tree), form_data(citizen_id=CCCD))

    responses = _in_threads([post, post])
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200)
    assert f"Số CCCD {CCCD} đã thuộc về một đoàn viên khác." in refused.content.decode()
    assert Member.objects.filter(citizen_id=CCCD).count() == 1
