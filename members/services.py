"""Member workflows: every change to a member's record, status or chi đoàn, atomic and audited.

Each lifecycle step (kết nạp, chuyển sinh hoạt đi/đến, trưởng thành, xóa tên, từ trần) writes a
``MemberEvent`` (the member's history page) and an audit entry, and keeps the tree's
``members_total`` right through ``adjust_counts``."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from organizations import audit
from organizations.models import Organization
from organizations.services import adjust_counts
from organizations.signals import unit_merged
from organizations.text import fold, is_blank

from . import history
from .models import ON_ROLL, CadreTitle, Member, MemberEvent, MemberPosition, Transfer
from .permissions import can_manage_members
from .validation import MATURITY_AGE, MAX_KEEP_AGE, age_on, check_member, duplicate_ids

DUPLICATE_RACE = "Số CCCD hoặc số thẻ đoàn vừa được ghi cho một đoàn viên khác; không có gì được lưu. Hãy kiểm tra lại."
Kind = MemberEvent.Kind
EDITABLE_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "ethnicity",
    "religion",
    "citizen_id",
    "card_number",
    "admitted_on",
    "admitted_at",
    "phone",
    "email",
    "address",
    "education_level",
    "qualification",
    "political_theory",
    "occupation",
    "is_party_member",
    "party_joined_on",
    "joined_branch_on",
)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Bạn không có quyền thay đổi đoàn viên của chi đoàn này.")


def _require_branch(branch: Organization) -> None:
    if not branch.level.is_branch:
        raise ValidationError("Đoàn viên chỉ sinh hoạt ở chi đoàn: hãy chọn một chi đoàn.")
    if not branch.is_active:
        raise ValidationError(f"Chi đoàn “{branch.name}” đã giải thể hoặc hợp nhất.")


def _not_future(day: date) -> date:
    if day > timezone.localdate():
        raise ValidationError(f"Ngày {day:%d/%m/%Y} không được ở tương lai.")
    return day


def _locked(member: Member) -> Member:
    """Re-read the member under a row lock, so two officers cannot move them at once."""
    return Member.objects.select_for_update().select_related("branch", "branch__level").get(pk=member.pk)


def _require_active(member: Member) -> None:
    if member.status == Member.Status.TRANSFERRING:
        raise ValidationError("Đoàn viên đang chờ chuyển sinh hoạt: hãy hủy đề nghị chuyển trước.")
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(f"Đoàn viên không còn sinh hoạt ({member.get_status_display().lower()}).")


def _event(member: Member, kind: str, *, on_date: date, by, reason: str = "", from_branch=None, to_branch=None):
    return MemberEvent.objects.create(
        member=member, kind=kind, date=on_date, by=by, reason=reason, from_branch=from_branch, to_branch=to_branch
    )


def _leave(member: Member, status: str, kind: str, *, on_date: date, by, reason: str) -> Member:
    """Take a member off the roll (trưởng thành, xóa tên, từ trần)."""
    old = member.get_status_display()
    member.status, member.status_changed_on, member.updated_by = status, on_date, by
    member.save(update_fields=["status", "status_changed_on", "updated_by", "updated_at"])
    adjust_counts(member.branch, members=-1)
    _event(member, kind, on_date=on_date, by=by, reason=reason, from_branch=member.branch)
    audit.record(
        target=member,
        action=kind,
        by=by,
        organization=member.branch,
        from_state=old,
        to_state=member.get_status_display(),
        reason=reason,
    )
    return member


def _save_unique(member: Member, **kwargs) -> None:
    """Save, turning a CCCD or card number taken meanwhile into the form's error, not a 500.

    ``check_member`` looked first, but two officers adding one person at the same moment both
    pass it; the unique index then refuses the second insert (on PostgreSQL once the first
    commits). The savepoint keeps the outer transaction usable to name which number it was."""
    try:
        with transaction.atomic():
            member.save(**kwargs)
    except IntegrityError:
        taken = duplicate_ids(citizen_id=member.citizen_id, card_number=member.card_number, exclude_pk=member.pk)
        raise ValidationError(taken or DUPLICATE_RACE) from None


def likely_duplicates(*, branch: Organization, full_name: str, birth_date: date | None) -> list[Member]:
    """Members of the chi đoàn with the same folded name and birth date: without a CCCD to tell
    them apart, most likely the same person entered twice (the import matches them so)."""
    if not (full_name and birth_date):
        return []
    same = Member.objects.filter(branch=branch, name_folded=fold(full_name), birth_date=birth_date)
    return list(same.only("full_name", "birth_date", "citizen_id")[:5])


def _refuse_likely_duplicate(branch: Organization, values: dict) -> None:
    if values.get("citizen_id"):
        return
    same = likely_duplicates(branch=branch, full_name=values.get("full_name"), birth_date=values.get("birth_date"))
    if same:
        first = same[0]
        raise ValidationError(
            {
                "confirm_duplicate": (
                    f"Chi đoàn “{branch.name}” đã có đoàn viên {first.full_name}, sinh ngày "
                    f"{first.birth_date:%d/%m/%Y}; hồ sơ này không có số CCCD để phân biệt nên có thể là cùng "
                    "một người. Nếu đúng là người khác, hãy đánh dấu “Vẫn thêm” rồi lưu lại."
                )
            }
        )


@transaction.atomic
def create_member(
    *, branch: Organization, by, admission: bool = False, reason: str = "", confirm_duplicate: bool = False, **fields
) -> Member:
    """Kết nạp (``admission``) or enter an existing member's record into the chi đoàn's roster.
    Without a CCCD, a member of the chi đoàn with the same name and birth date is refused unless
    ``confirm_duplicate`` ("Vẫn thêm")."""
    _require(can_manage_members(by, branch))
    _require_branch(branch)
    values = {name: fields.get(name) for name in EDITABLE_FIELDS if name in fields}
    if admission and not values.get("admitted_on"):
        raise ValidationError({"admitted_on": "Kết nạp cần ngày vào Đoàn."})
    check_member(values)
    if not confirm_duplicate:
        _refuse_likely_duplicate(branch, values)
    values["joined_branch_on"] = values.get("joined_branch_on") or values.get("admitted_on") or timezone.localdate()
    member = Member(branch=branch, updated_by=by, **{k: v for k, v in values.items() if v is not None})
    _save_unique(member)
    adjust_counts(branch, members=1)
    kind = Kind.ADMISSION if admission else Kind.RECORDED
    _event(
        member,
        kind,
        on_date=member.admitted_on if admission else timezone.localdate(),
        by=by,
        reason=reason,
        to_branch=branch,
    )
    audit.record(
        target=member, action=kind, by=by, organization=branch, to_state=member.get_status_display(), reason=reason
    )
    return member


def admit(*, branch: Organization, by, reason: str = "", **fields) -> Member:
    """Kết nạp đoàn viên mới vào chi đoàn (tuổi 16–30)."""
    return create_member(branch=branch, by=by, admission=True, reason=reason, **fields)


@transaction.atomic
def update_member(*, member: Member, by, reason: str = "", **fields) -> Member:
    """Sửa hồ sơ: every changed field is named in the history."""
    _require(can_manage_members(by, member.branch))
    member = _locked(member)
    values = {name: getattr(member, name) for name in EDITABLE_FIELDS}
    values.update({k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    changed = [name for name in EDITABLE_FIELDS if getattr(member, name) != values[name]]
    check_member(values, exclude_pk=member.pk, changed=set(changed))
    if not changed:
        return member
    for name in changed:
        setattr(member, name, values[name])
    member.updated_by = by
    _save_unique(member)
    labels = ", ".join(str(Member._meta.get_field(n).verbose_name) for n in changed)
    _event(member, Kind.EDITED, on_date=timezone.localdate(), by=by, reason=reason or f"Sửa: {labels}")
    audit.record(target=member, action=Kind.EDITED, by=by, organization=member.branch, to_state=labels, reason=reason)
    return member


@transaction.atomic
def request_transfer(
    *, member: Member, to_branch: Organization, by, reason: str = "", on_date: date | None = None
) -> Transfer:
    """Chuyển sinh hoạt đi: the sending chi đoàn asks; the member stays on its roster until accepted.

    The receiving chi đoàn may lie in another province: it is named by code, outside the sender's scope."""
    _require(can_manage_members(by, member.branch))
    member = _locked(member)
    _require_active(member)
    _require_branch(to_branch)
    if to_branch.pk == member.branch_id:
        raise ValidationError("Chi đoàn đến trùng với chi đoàn đang sinh hoạt.")
    on_date = _not_future(on_date or timezone.localdate())
    transfer = Transfer.objects.create(
        member=member, from_branch=member.branch, to_branch=to_branch, reason=reason, requested_by=by
    )
    member.status, member.updated_by = Member.Status.TRANSFERRING, by
    member.save(update_fields=["status", "updated_by", "updated_at"])
    _event(
        member, Kind.TRANSFER_OUT, on_date=on_date, by=by, reason=reason, from_branch=member.branch, to_branch=to_branch
    )
    audit.record(
        target=transfer,
        action="transfer_request",
        by=by,
        organization=member.branch,
        from_state=member.branch.name,
        to_state=to_branch.name,
        reason=reason,
    )
    return transfer


def _decide(transfer: Transfer, status: str, by, note: str) -> tuple[Transfer, Member]:
    transfer = Transfer.objects.select_for_update().select_related("to_branch", "from_branch").get(pk=transfer.pk)
    if transfer.status != Transfer.Status.PENDING:
        raise ValidationError(f"Đề nghị chuyển sinh hoạt đã được xử lý ({transfer.get_status_display().lower()}).")
    transfer.status, transfer.accepted_by, transfer.accepted_at = status, by, timezone.now()
    transfer.decision_note = note
    transfer.save()
    member = _locked(transfer.member)
    return transfer, member


@transaction.atomic
def accept_transfer(*, transfer: Transfer, by, on_date: date | None = None, note: str = "") -> Transfer:
    """Tiếp nhận: the receiving chi đoàn (from its own scope) takes the member onto its roster."""
    _require(can_manage_members(by, transfer.to_branch))
    _require_branch(transfer.to_branch)
    on_date = _not_future(on_date or timezone.localdate())
    transfer, member = _decide(transfer, Transfer.Status.ACCEPTED, by, note)
    adjust_counts(transfer.from_branch, members=-1)
    adjust_counts(transfer.to_branch, members=1)
    history.record_leaving(Member.objects.filter(pk=member.pk), on_date)
    member.branch, member.status, member.joined_branch_on = transfer.to_branch, Member.Status.ACTIVE, on_date
    member.updated_by = by
    member.save(update_fields=["branch", "status", "joined_branch_on", "updated_by", "updated_at"])
    _event(
        member,
        Kind.TRANSFER_IN,
        on_date=on_date,
        by=by,
        reason=note or transfer.reason,
        from_branch=transfer.from_branch,
        to_branch=transfer.to_branch,
    )
    audit.record(
        target=transfer,
        action="transfer_accept",
        by=by,
        organization=transfer.to_branch,
        from_state=transfer.from_branch.name,
        to_state=transfer.to_branch.name,
        reason=note,
    )
    return transfer


def _back_on_sending_roll(transfer: Transfer, status: str, kind: str, *, by, reason: str) -> Transfer:
    transfer, member = _decide(transfer, status, by, reason)
    member.status, member.updated_by = Member.Status.ACTIVE, by
    member.save(update_fields=["status", "updated_by", "updated_at"])
    _event(
        member,
        kind,
        on_date=timezone.localdate(),
        by=by,
        reason=reason,
        from_branch=transfer.from_branch,
        to_branch=transfer.to_branch,
    )
    audit.record(
        target=transfer,
        action=kind,
        by=by,
        organization=transfer.from_branch,
        from_state=Transfer.Status.PENDING.label,
        to_state=transfer.get_status_display(),
        reason=reason,
    )
    return transfer


@transaction.atomic
def refuse_transfer(*, transfer: Transfer, by, reason: str) -> Transfer:
    """Từ chối tiếp nhận: the member goes back to active on the sending roster."""
    _require(can_manage_members(by, transfer.to_branch))
    if is_blank(reason):
        raise ValidationError({"reason": "Cần ghi lý do từ chối."})
    return _back_on_sending_roll(transfer, Transfer.Status.REFUSED, Kind.TRANSFER_REFUSED, by=by, reason=reason)


@transaction.atomic
def cancel_transfer(*, transfer: Transfer, by, reason: str = "") -> Transfer:
    """Hủy đề nghị chuyển: the sending chi đoàn withdraws its request."""
    _require(can_manage_members(by, transfer.from_branch))
    return _back_on_sending_roll(transfer, Transfer.Status.CANCELLED, Kind.TRANSFER_CANCELLED, by=by, reason=reason)


@transaction.atomic
def mature(*, member: Member, by, on_date: date | None = None, reason: str = "") -> Member:
    """Trưởng thành Đoàn: a member over 30 leaves the roll (unless the chi đoàn keeps them)."""
    _require(can_manage_members(by, member.branch))
    member = _locked(member)
    _require_active(member)
    on_date = _not_future(on_date or timezone.localdate())
    if age_on(member.birth_date, on_date) < MATURITY_AGE:
        raise ValidationError(f"Đoàn viên chưa đủ {MATURITY_AGE} tuổi, chưa thể trưởng thành.")
    return _leave(member, Member.Status.MATURED, Kind.MATURED, on_date=on_date, by=by, reason=reason)


@transaction.atomic
def keep_after_30(*, member: Member, by, until: date, reason: str) -> Member:
    """Giữ lại sinh hoạt sau 30 tuổi, by the chi đoàn's decision, at most until the member turns 35."""
    _require(can_manage_members(by, member.branch))
    member = _locked(member)
    _require_active(member)
    if age_on(member.birth_date, timezone.localdate()) < MATURITY_AGE:
        raise ValidationError(f"Đoàn viên chưa đủ {MATURITY_AGE} tuổi: chưa cần quyết định giữ lại.")
    if age_on(member.birth_date, until) >= MAX_KEEP_AGE:
        raise ValidationError({"until": f"Chỉ giữ lại sinh hoạt tối đa đến trước {MAX_KEEP_AGE} tuổi."})
    if until <= timezone.localdate():
        raise ValidationError({"until": "Ngày giữ lại đến phải sau hôm nay."})
    if is_blank(reason):
        raise ValidationError({"reason": "Cần ghi số nghị quyết / lý do của chi đoàn."})
    member.kept_until, member.updated_by = until, by
    member.save(update_fields=["kept_until", "updated_by", "updated_at"])
    _event(member, Kind.KEPT_AFTER_30, on_date=timezone.localdate(), by=by, reason=f"Đến {until:%d/%m/%Y}. {reason}")
    audit.record(
        target=member,
        action=Kind.KEPT_AFTER_30,
        by=by,
        organization=member.branch,
        to_state=f"{until:%d/%m/%Y}",
        reason=reason,
    )
    return member


@transaction.atomic
def remove(*, member: Member, by, reason: str, on_date: date | None = None) -> Member:
    """Xóa tên đoàn viên khỏi danh sách (by the chi đoàn's decision, with its reason)."""
    _require(can_manage_members(by, member.branch))
    member = _locked(member)
    _require_active(member)
    if is_blank(reason):
        raise ValidationError({"reason": "Cần ghi lý do xóa tên."})
    on_date = _not_future(on_date or timezone.localdate())
    return _leave(member, Member.Status.REMOVED, Kind.REMOVED, on_date=on_date, by=by, reason=reason)


@transaction.atomic
def record_death(*, member: Member, by, on_date: date, reason: str = "") -> Member:
    """Ghi nhận đoàn viên từ trần."""
    _require(can_manage_members(by, member.branch))
    member = _locked(member)
    if member.status not in ON_ROLL:
        raise ValidationError(f"Đoàn viên không còn sinh hoạt ({member.get_status_display().lower()}).")
    if member.status == Member.Status.TRANSFERRING:
        for transfer in Transfer.objects.filter(member=member, status=Transfer.Status.PENDING):
            transfer.status = Transfer.Status.CANCELLED
            transfer.decision_note = "Đoàn viên từ trần"
            transfer.save(update_fields=["status", "decision_note"])
    _not_future(on_date)
    if on_date < member.birth_date:
        raise ValidationError("Ngày mất không thể trước ngày sinh.")
    return _leave(member, Member.Status.DECEASED, Kind.DECEASED, on_date=on_date, by=by, reason=reason)


@transaction.atomic
def assign_position(*, member: Member, title: str, unit: Organization, since: date, by) -> MemberPosition:
    """Ghi nhận chức vụ (bí thư, phó bí thư, ủy viên BCH …) của đoàn viên tại một đơn vị."""
    _require(can_manage_members(by, member.branch))
    _not_future(since)
    if title not in CadreTitle.values:
        raise ValidationError({"title": "Chức danh không hợp lệ."})
    if not member.is_on_roll:
        raise ValidationError("Đoàn viên không còn sinh hoạt.")
    _check_first_appointment_age(member, title, unit, since)
    position = MemberPosition.objects.create(member=member, title=title, unit=unit, since=since)
    audit.record(
        target=member,
        action="position",
        by=by,
        organization=unit,
        to_state=f"{position.get_title_display()} — {unit.name}",
    )
    return position


def _check_first_appointment_age(member: Member, title: str, unit: Organization, since: date) -> None:
    """Quy chế cán bộ Đoàn: a first appointment to a title has its own, lower age limit."""
    from .selectors import limits_for

    if MemberPosition.objects.filter(member=member, title=title).exists():
        return  # re-appointed: only the limit while holding applies (the over-age list shows it)
    limits = [lim.max_age_first for lim in limits_for(unit) if lim.title == title]
    age = age_on(member.birth_date, since)
    if limits and age > min(limits):
        raise ValidationError(
            {
                "since": f"{member.full_name} đã {age} tuổi: quá tuổi tham gia lần đầu chức danh này (tối đa {min(limits)})."
            }
        )


@transaction.atomic
def end_position(*, position: MemberPosition, by, until: date | None = None) -> MemberPosition:
    _require(can_manage_members(by, position.member.branch))
    position.until = _not_future(until or timezone.localdate())
    position.save(update_fields=["until"])
    audit.record(
        target=position.member,
        action="position_end",
        by=by,
        organization=position.unit,
        from_state=f"{position.get_title_display()} — {position.unit.name}",
    )
    return position


@receiver(unit_merged, dispatch_uid="members.move_members_on_merge")
def move_members_on_merge(*, source: Organization, target: Organization, by, on_date, reason, **kwargs) -> int:
    """Hợp nhất chi đoàn: the merged chi đoàn's members continue in the target chi đoàn."""
    if not source.level.is_branch:
        return 0
    with transaction.atomic():
        ids = list(Member.objects.filter(branch=source, status__in=ON_ROLL).values_list("pk", flat=True))
        history.record_leaving(Member.objects.filter(pk__in=ids), on_date)
        moved = Member.objects.filter(pk__in=ids).update(branch=target, updated_by=by)
        Transfer.objects.filter(from_branch=source, status=Transfer.Status.PENDING).update(from_branch=target)
        Transfer.objects.filter(to_branch=source, status=Transfer.Status.PENDING).update(to_branch=target)
        MemberEvent.objects.bulk_create(
            MemberEvent(
                member_id=pk, kind=Kind.MERGED, date=on_date, by=by, reason=reason, from_branch=source, to_branch=target
            )
            for pk in ids
        )
        adjust_counts(source, members=-moved)
        adjust_counts(target, members=moved)
    return moved
