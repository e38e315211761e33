"""Each lifecycle path through its service, by role: kết nạp, chuyển đi/đến, trưởng thành,
giữ lại, xóa tên, từ trần."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import services
from members.models import Member, MemberEvent, Transfer
from organizations.models import AuditEntry, Organization

from .conftest import birth_for_age


def total(org):
    return Organization.objects.get(pk=org.pk).members_total


def new_fields(**extra):
    values = dict(
        full_name="Hoàng Thị Lan",
        birth_date=date(2004, 2, 10),
        gender="nu",
        citizen_id="001204000123",
        admitted_on=date(2021, 3, 26),
    )
    return values | extra


def test_a_secretary_admits_a_member_into_their_branch(tree, users):
    member = services.admit(branch=tree.branch, by=users.secretary, reason="NQ 01", **new_fields())
    assert member.status == Member.Status.ACTIVE and member.joined_branch_on == date(2021, 3, 26)
    event = member.events.get()
    assert (event.kind, event.date, event.to_branch, event.by) == (
        "admission",
        date(2021, 3, 26),
        tree.branch,
        users.secretary,
    )
    assert total(tree.branch) == 4 and total(tree.province) == 7
    assert AuditEntry.objects.filter(object_id=member.pk, action="admission").exists()


@pytest.mark.parametrize(
    "role", ["grassroots_approver", "district_approver", "province_staff", "province_admin", "superuser"]
)
def test_officers_above_may_admit(tree, users, role):
    assert services.admit(branch=tree.branch, by=getattr(users, role), **new_fields()).pk


@pytest.mark.parametrize("role", ["grassroots_secretary", "outsider", "nopost"])
def test_others_may_not_admit(tree, users, role):
    with pytest.raises(PermissionDenied):
        services.admit(branch=tree.branch, by=getattr(users, role), **new_fields())
    assert total(tree.branch) == 3


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"birth_date": date(2010, 1, 1), "admitted_on": date(2024, 1, 1)}, "admitted_on", "từ 16 đến 30"),
        ({"birth_date": date(1980, 1, 1), "admitted_on": date(2015, 1, 1)}, "admitted_on", "từ 16 đến 30"),
        ({"admitted_on": date.today() + timedelta(days=2)}, "admitted_on", "tương lai"),
        ({"birth_date": date.today() + timedelta(days=2)}, "birth_date", "tương lai"),
        ({"citizen_id": "00120400012"}, "citizen_id", "12 chữ số"),
        ({"citizen_id": "00120400012A"}, "citizen_id", "12 chữ số"),
        ({"full_name": " "}, "full_name", "họ và tên"),
    ],
)
def test_each_validation_has_a_vietnamese_message(tree, users, fields, field, words):
    with pytest.raises(ValidationError) as exc:
        services.admit(branch=tree.branch, by=users.secretary, **new_fields(**fields))
    assert words in " ".join(exc.value.message_dict[field])


def test_the_cccd_is_unique(tree, users):
    taken = tree.member_other.citizen_id
    with pytest.raises(ValidationError) as exc:
        services.admit(branch=tree.branch, by=users.secretary, **new_fields(citizen_id=taken))
    assert "đã thuộc về" in exc.value.message_dict["citizen_id"][0]


def test_members_join_only_a_branch(tree, users):
    with pytest.raises(ValidationError):
        services.admit(branch=tree.grassroots, by=users.province_admin, **new_fields())


def test_update_records_what_changed(tree, users):
    member = tree.members[0]
    services.update_member(member=member, by=users.secretary, phone="0987654321")
    member.refresh_from_db()
    assert member.phone == "0987654321"
    assert "số điện thoại" in member.events.get(kind="edited").reason


def test_an_outsider_may_not_edit(tree, users):
    with pytest.raises(PermissionDenied):
        services.update_member(member=tree.members[0], by=users.outsider, phone="0987654321")


def test_a_transfer_across_provinces_waits_for_the_receiver(tree, users):
    member = tree.members[0]
    transfer = services.request_transfer(
        member=member, to_branch=tree.branch_other, by=users.secretary, reason="Đi làm"
    )
    member.refresh_from_db()
    assert member.status == Member.Status.TRANSFERRING and member.branch == tree.branch
    assert total(tree.branch) == 3  # still on the sending roster
    with pytest.raises(PermissionDenied):
        services.accept_transfer(transfer=transfer, by=users.secretary)  # the sender cannot accept
    services.accept_transfer(transfer=transfer, by=users.outsider)  # the receiver, from another province
    member.refresh_from_db()
    assert (member.status, member.branch) == (Member.Status.ACTIVE, tree.branch_other)
    assert total(tree.branch) == 2 and total(tree.province) == 5 and total(tree.branch_other) == 2
    assert list(member.events.values_list("kind", flat=True)) == ["transfer_in", "transfer_out"] or set(
        member.events.values_list("kind", flat=True)
    ) == {"transfer_in", "transfer_out"}
    with pytest.raises(ValidationError):
        services.accept_transfer(transfer=transfer, by=users.outsider)


def test_a_refused_transfer_puts_the_member_back(tree, users):
    member = tree.members[0]
    transfer = services.request_transfer(member=member, to_branch=tree.branch2, by=users.secretary)
    with pytest.raises(ValidationError):
        services.refuse_transfer(transfer=transfer, by=users.grassroots_approver, reason=" ")
    services.refuse_transfer(transfer=transfer, by=users.grassroots_approver, reason="Không đúng địa bàn")
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE and member.branch == tree.branch
    assert Transfer.objects.get().status == Transfer.Status.REFUSED


def test_the_sender_may_cancel_and_a_second_request_waits_for_the_first(tree, users):
    member = tree.members[0]
    transfer = services.request_transfer(member=member, to_branch=tree.branch2, by=users.secretary)
    with pytest.raises(ValidationError):
        services.request_transfer(member=member, to_branch=tree.branch3, by=users.secretary)
    services.cancel_transfer(transfer=transfer, by=users.secretary)
    assert Member.objects.get(pk=member.pk).status == Member.Status.ACTIVE


def test_a_transfer_needs_a_live_branch_other_than_the_current(tree, users):
    member = tree.members[0]
    with pytest.raises(ValidationError):
        services.request_transfer(member=member, to_branch=tree.branch, by=users.secretary)
    with pytest.raises(ValidationError):
        services.request_transfer(member=member, to_branch=tree.grassroots, by=users.secretary)


def test_maturing_needs_thirty_years(tree, users):
    young = tree.members[0]
    with pytest.raises(ValidationError) as exc:
        services.mature(member=young, by=users.secretary)
    assert "30 tuổi" in exc.value.messages[0]
    old = Member.objects.create(branch=tree.branch, full_name="Vũ Văn Lớn", birth_date=birth_for_age(31), gender="nam")
    services.mature(member=old, by=users.secretary, reason="Hết tuổi")
    old.refresh_from_db()
    assert old.status == Member.Status.MATURED and old.events.get().kind == "matured"


def test_a_branch_may_keep_a_member_until_35(tree, users):
    old = Member.objects.create(branch=tree.branch, full_name="Vũ Văn Lớn", birth_date=birth_for_age(31), gender="nam")
    too_late = date(old.birth_date.year + 36, 1, 1)
    with pytest.raises(ValidationError):
        services.keep_after_30(member=old, by=users.secretary, until=too_late, reason="NQ chi đoàn")
    services.keep_after_30(member=old, by=users.secretary, until=date(old.birth_date.year + 34, 6, 1), reason="NQ 3")
    old.refresh_from_db()
    assert old.kept_until == date(old.birth_date.year + 34, 6, 1)
    assert old.events.get().kind == "kept_after_30"


def test_removal_needs_a_reason_and_takes_the_member_off_the_roll(tree, users):
    member = tree.members[1]
    with pytest.raises(ValidationError):
        services.remove(member=member, by=users.secretary, reason="")
    services.remove(member=member, by=users.district_approver, reason="Bỏ sinh hoạt 12 tháng")
    member.refresh_from_db()
    assert member.status == Member.Status.REMOVED and total(tree.branch) == 2
    with pytest.raises(ValidationError):
        services.remove(member=member, by=users.secretary, reason="lần hai")


def test_recording_a_death(tree, users):
    member = tree.members[2]
    services.record_death(member=member, by=users.secretary, on_date=date(2024, 5, 1))
    member.refresh_from_db()
    assert member.status == Member.Status.DECEASED and member.status_changed_on == date(2024, 5, 1)
    assert total(tree.branch) == 2


@pytest.mark.parametrize("call", ["mature", "remove", "record_death", "request_transfer"])
def test_lifecycle_steps_refuse_outsiders(tree, users, call):
    args = {
        "mature": {},
        "remove": {"reason": "x"},
        "record_death": {"on_date": date(2024, 1, 1)},
        "request_transfer": {"to_branch": tree.branch2},
    }[call]
    with pytest.raises(PermissionDenied):
        getattr(services, call)(member=tree.members[0], by=users.outsider, **args)


def test_a_merge_moves_members_and_writes_their_history(tree, users):
    from organizations.services import merge_unit

    merge_unit(source=tree.branch2, target=tree.branch, by=users.grassroots_approver, reason="Sáp nhập thôn")
    assert total(tree.branch) == 5
    assert MemberEvent.objects.filter(kind="merged", to_branch=tree.branch).count() == 2


def test_a_first_appointment_respects_the_age_limit(tree, users):
    from members.models import MemberPosition

    member = Member.objects.create(branch=tree.branch, full_name="Lý Văn Ba", gender="nam", birth_date=date(1990, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.assign_position(
            member=member, title="bi_thu", unit=tree.branch, since=date(2024, 1, 1), by=users.secretary
        )
    assert "quá tuổi tham gia lần đầu" in exc.value.message_dict["since"][0]
    position = services.assign_position(
        member=member, title="bi_thu", unit=tree.branch, since=date(2018, 1, 1), by=users.secretary
    )
    assert MemberPosition.objects.get() == position
    with pytest.raises(PermissionDenied):
        services.assign_position(
            member=member, title="bi_thu", unit=tree.branch, since=date(2018, 1, 1), by=users.outsider
        )
