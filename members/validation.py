"""Rules a member record must satisfy, shared by the services, the forms and the Excel importer.

Pure functions (no query): the importer checks 100,000 rows with them before touching the
database; uniqueness is checked separately, in bulk (``duplicate_ids``)."""

import calendar
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Member, normalize_card

MIN_ADMISSION_AGE, MAX_ADMISSION_AGE = 16, 30  # Điều lệ Đoàn: 16–30 tuổi khi vào Đoàn
MATURITY_AGE, MAX_KEEP_AGE = 30, 35  # trưởng thành sau 30; giữ lại tối đa đến 35
CITIZEN_ID = re.compile(r"^\d{12}$")
PHONE = re.compile(r"^\+?\d{9,12}$")

LABELS = {f.name: str(f.verbose_name) for f in Member._meta.get_fields() if hasattr(f, "verbose_name")}
DATE_FIELDS = ("birth_date", "admitted_on", "party_joined_on", "joined_branch_on")
GENDERS = frozenset(Member.Gender.values)  # the enum rebuilds its list on every read: once, here


def age_on(birth: date, day: date) -> int:
    """Whole years between ``birth`` and ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29/02 becomes 28/02)."""
    return months_before(day, 12 * years)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier, or that month's last day when it is shorter (31/3 less one
    month: 28 or 29/2): for a whole count of months, the last day far enough back."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def field_errors(values: dict, *, today: date | None = None) -> dict[str, str]:
    """Every rule broken by a member's field values: {field name: Vietnamese message}."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not (values.get("full_name") or "").strip():
        errors["full_name"] = "Chưa nhập họ và tên."
    for name in DATE_FIELDS:
        value = values.get(name)
        if value and value > today:
            errors[name] = f"{LABELS[name].capitalize()} ({value:%d/%m/%Y}) không được ở tương lai."
    birth, admitted = values.get("birth_date"), values.get("admitted_on")
    if not birth:
        errors["birth_date"] = "Chưa nhập ngày sinh."
    if birth and admitted and "admitted_on" not in errors:
        age = age_on(birth, admitted)
        if not MIN_ADMISSION_AGE <= age <= MAX_ADMISSION_AGE:
            errors["admitted_on"] = (
                f"Tuổi khi vào Đoàn phải từ {MIN_ADMISSION_AGE} đến {MAX_ADMISSION_AGE} (đang là {age} tuổi)."
            )
    citizen_id = values.get("citizen_id") or ""
    if citizen_id and not CITIZEN_ID.match(citizen_id):
        errors["citizen_id"] = f"Số CCCD phải gồm đúng 12 chữ số (đang là “{citizen_id}”)."
    phone = (values.get("phone") or "").replace(" ", "").replace(".", "")
    if phone and not PHONE.match(phone):
        errors["phone"] = f"Số điện thoại “{values.get('phone')}” không hợp lệ (9–12 chữ số)."
    gender = values.get("gender")
    if gender not in GENDERS:
        errors["gender"] = "Giới tính phải là Nam, Nữ hoặc Khác."
    if values.get("party_joined_on") and not values.get("is_party_member"):
        errors["party_joined_on"] = "Có ngày vào Đảng nhưng chưa đánh dấu là đảng viên."
    return errors


def errors_for_changes(errors: dict[str, str], changed: set[str]) -> dict[str, str]:
    """Only the broken rules that touch ``changed`` fields (an edit, a re-import): a record saved
    years ago with an old mistake must not block correcting its phone number. The age at
    admission depends on the birth date too."""
    touched = set(changed) | ({"admitted_on"} if "birth_date" in changed else set())
    return {name: message for name, message in errors.items() if name in touched}


def duplicate_ids(*, citizen_id: str | None, card_number: str | None, exclude_pk: int | None = None) -> dict[str, str]:
    """CCCD and card number are unique across the whole country, not only inside a scope."""
    errors = {}
    card_number = normalize_card(card_number)  # as it will be saved
    others = Member.objects.exclude(pk=exclude_pk) if exclude_pk else Member.objects.all()
    if citizen_id and others.filter(citizen_id=citizen_id).exists():
        errors["citizen_id"] = f"Số CCCD {citizen_id} đã thuộc về một đoàn viên khác."
    if card_number and others.filter(card_number=card_number).exists():
        errors["card_number"] = f"Số thẻ đoàn {card_number} đã thuộc về một đoàn viên khác."
    return errors


def check_member(values: dict, *, exclude_pk: int | None = None, changed: set[str] | None = None) -> None:
    """Raise one ValidationError carrying every broken rule, keyed by field.

    With ``changed`` (an edit), only rules touching the changed fields count: a record imported
    years ago with an old mistake must not block correcting its phone number."""
    errors = field_errors(values)
    if changed is not None:
        errors = errors_for_changes(errors, changed)
    for name, message in duplicate_ids(
        citizen_id=values.get("citizen_id"), card_number=values.get("card_number"), exclude_pk=exclude_pk
    ).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors)
