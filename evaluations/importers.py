"""``import_xlsx ratings FILE --year Y``: decided ratings of units that did not use the app.

Every row is checked first (subject found in the user's scope, a period for the year, a valid
level, no duplicate); nothing is written unless every row is valid, then all rows are written in
one transaction as decided (approved) results, each with an audit entry.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from members.importing import ImportResult, RowError, XlsxImporter, parse_text, register
from members.models import Member
from organizations.models import AuditEntry, Organization
from organizations.scoping import in_scope
from organizations.text import fold

from . import rules
from .models import Assessment, RatingLevel, RatingPeriod, Status, SubjectType

YEAR, KIND, CODE, LEVEL, NOTE = "Năm", "Loại đối tượng", "Mã đối tượng", "Xếp loại", "Ghi chú"

KIND_WORDS = {
    "doan vien": SubjectType.MEMBER,
    "chi doan": SubjectType.BRANCH,
    "doan co so": SubjectType.GRASSROOTS,
    "co so": SubjectType.GRASSROOTS,
    "doan cap tren co so": SubjectType.UPPER,
    "cap tren co so": SubjectType.UPPER,
    "tap the lanh dao": SubjectType.COLLECTIVE,
    "bch": SubjectType.COLLECTIVE,
    "btv": SubjectType.COLLECTIVE,
}
LEVEL_WORDS = {code.lower(): code for code in RatingLevel.values} | {
    fold(label): code for code, label in RatingLevel.choices
}


@dataclass
class Planned:
    row: int
    period: RatingPeriod
    subject_type: str
    member: Member | None
    organization: Organization | None
    unit: Organization
    approving_unit: Organization
    level: str
    note: str
    existing: Assessment | None


class RatingImporter(XlsxImporter):
    kind = "ratings"
    label = "Kết quả xếp loại chất lượng"
    headers = [YEAR, KIND, CODE, LEVEL]
    optional_headers = [NOTE]

    def validate(self, rows, result: ImportResult) -> list[Planned]:
        rows = list(rows)
        lookup = _Lookup([parse_text(r.get(CODE)) for _, r in rows], self._years(rows))
        plan, seen = [], {}
        for number, record in rows:
            errors_before = len(result.errors)
            item = self._row(number, record, lookup, result)
            if item is None or len(result.errors) > errors_before:
                continue
            key = (item.period.pk, item.subject_type, (item.member or item.organization).pk)
            if key in seen:
                result.errors.append(RowError(number, CODE, f"Trùng đối tượng với dòng {seen[key]}."))
                continue
            seen[key] = number
            plan.append(item)
            if item.existing:
                result.updated += 1
            else:
                result.created += 1
        return plan

    def _years(self, rows) -> set[int]:
        wanted = self.options.get("year")
        return {wanted} if wanted else {y for _, r in rows if isinstance(y := _year(r.get(YEAR)), int)}

    def _error(self, result, row, column, message) -> None:
        result.errors.append(RowError(row, column, message))

    def _row(self, number: int, record: dict, lookup: "_Lookup", result: ImportResult) -> Planned | None:
        year = _year(record.get(YEAR))
        wanted = self.options.get("year")
        if year is None:
            return self._error(result, number, YEAR, f"“{record.get(YEAR) or ''}” không phải là năm (ví dụ 2025).")
        if wanted and year != wanted:
            return self._error(result, number, YEAR, f"Năm {year} khác năm đang nhập ({wanted}).")
        subject_type = KIND_WORDS.get(fold(parse_text(record.get(KIND))))
        if subject_type is None:
            return self._error(
                result,
                number,
                KIND,
                f"“{record.get(KIND) or ''}” không phải loại đối tượng (đoàn viên, chi đoàn, đoàn cơ sở, đoàn cấp trên cơ sở, BCH).",
            )
        level = LEVEL_WORDS.get(fold(parse_text(record.get(LEVEL))))
        if level is None:
            self._error(
                result,
                number,
                LEVEL,
                f"“{record.get(LEVEL) or ''}” không phải mức xếp loại (HTXSNV, HTTNV, HTNV, KHTNV).",
            )
        code = parse_text(record.get(CODE))
        subject = lookup.subject(subject_type, code)
        if subject is None or not (self.user is None or in_scope(self.user, subject[1])):
            return self._error(
                result,
                number,
                CODE,
                f"Không tìm thấy {SubjectType(subject_type).label.lower()} mã “{code}” trong phạm vi của bạn.",
            )
        member, unit = subject
        period = lookup.period(unit, year)
        if period is None:
            return self._error(result, number, YEAR, f"Chưa có đợt xếp loại năm {year} cho {unit.name}.")
        if period.is_locked:
            return self._error(result, number, YEAR, f"{period} đã khóa.")
        approving = lookup.approving_unit(unit, member_subject=member is not None)
        if approving is None:
            return self._error(result, number, CODE, f"“{unit.name}” không có đơn vị cấp trên để công nhận.")
        if self.user is not None and not rules.can_decide(self.user, approving):
            return self._error(result, number, CODE, f"Bạn không có quyền công nhận xếp loại của {approving.name}.")
        existing = lookup.existing(period, subject_type, member, None if member else unit)
        if existing is not None and existing.status == Status.LOCKED:
            return self._error(result, number, CODE, "Kết quả đã khóa, không nhập đè được.")
        if level is None:
            return None
        return Planned(
            number,
            period,
            subject_type,
            member,
            None if member else unit,
            unit,
            approving,
            level,
            parse_text(record.get(NOTE)),
            existing,
        )

    def write(self, plan: list[Planned], result: ImportResult) -> None:
        now, by = timezone.now(), self.user
        fresh, changed = [], []
        for item in plan:
            a = item.existing or Assessment(
                period=item.period,
                subject_type=item.subject_type,
                member=item.member,
                organization=item.organization,
                unit=item.unit,
            )
            before = a.get_final_level_display() if a.pk else ""
            a.approving_unit, a.proposed_level, a.final_level = item.approving_unit, item.level, item.level
            a.status, a.approved_by, a.approved_at, a.imported, a.updated_by = Status.APPROVED, by, now, True, by
            if item.note:
                a.note = item.note
            a.audit = (before, item)
            (changed if a.pk else fresh).append(a)
        Assessment.objects.bulk_create(fresh, batch_size=2000)
        Assessment.objects.bulk_update(
            changed,
            [
                "approving_unit",
                "proposed_level",
                "final_level",
                "status",
                "approved_by",
                "approved_at",
                "imported",
                "updated_by",
                "note",
            ],
            batch_size=2000,
        )
        if connection_needs_ids(fresh):
            _reload_ids(fresh)
        content_type = ContentType.objects.get_for_model(Assessment)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    content_type=content_type,
                    object_id=a.pk,
                    action="import",
                    by=by,
                    organization=a.approving_unit,
                    from_state=a.audit[0],
                    to_state=f"Đã công nhận: {RatingLevel(a.final_level).label}",
                    reason=f"Nhập từ Excel, dòng {a.audit[1].row}"
                    + (f": {a.audit[1].note}" if a.audit[1].note else ""),
                )
                for a in fresh + changed
            ],
            batch_size=2000,
        )


def connection_needs_ids(objs) -> bool:
    return any(a.pk is None for a in objs)


def _reload_ids(objs: list[Assessment]) -> None:
    """Backends that do not return ids from bulk_create: read them back by subject."""
    for a in objs:
        lookup = (
            {"member": a.member} if a.member_id else {"organization": a.organization, "subject_type": a.subject_type}
        )
        a.pk = Assessment.objects.filter(period=a.period, **lookup).values_list("pk", flat=True).get()


def _year(value) -> int | None:
    text = parse_text(value)
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else None


class _Lookup:
    """Everything the rows refer to, loaded in a few queries up front (never one query a row)."""

    def __init__(self, codes: list[str], years: set[int]):
        codes = [c for c in codes if c]
        members = Member.objects.filter(citizen_id__in=codes) | Member.objects.filter(card_number__in=codes)
        self.members = {}
        for m in members.select_related("branch", "branch__level"):
            self.members[m.citizen_id] = self.members[m.card_number] = m
        self.units = {o.code: o for o in Organization.objects.filter(code__in=codes).select_related("level")}
        branches = {m.branch.path for m in self.members.values()} | {o.path for o in self.units.values()}
        ancestor_paths = {
            p
            for path in branches
            for p in Organization(path=path, depth=len(path) // Organization.steplen).ancestor_paths()
        }
        self.ancestors = {
            o.path: o for o in Organization.objects.filter(path__in=ancestor_paths).select_related("level")
        }
        self.grassroots_rank = rules.lowest_grassroots_rank()
        self.periods = list(RatingPeriod.objects.filter(year__in=years).select_related("root"))
        self.assessments = {}
        for a in Assessment.objects.filter(period__in=self.periods).filter(
            _subject_filter(self.members.values(), self.units.values())
        ):
            self.assessments[(a.period_id, a.subject_type, a.member_id or a.organization_id)] = a

    def subject(self, subject_type: str, code: str):
        if subject_type == SubjectType.MEMBER:
            member = self.members.get(code)
            return (member, member.branch) if member else None
        unit = self.units.get(code.upper())
        if unit is None or (
            subject_type != SubjectType.COLLECTIVE
            and rules.org_subject_type(unit, self.grassroots_rank) != subject_type
        ):
            return None
        return (None, unit)

    def period(self, unit: Organization, year: int) -> RatingPeriod | None:
        covering = [p for p in self.periods if p.year == year and unit.path.startswith(p.root.path)]
        return max(covering, key=lambda p: p.root.depth, default=None)

    def approving_unit(self, unit: Organization, *, member_subject: bool) -> Organization | None:
        above = [self.ancestors[p] for p in unit.ancestor_paths() if p in self.ancestors]
        if member_subject:
            found = rules.grassroots_above(unit, above)
            if found is not None:
                return found
        return max(above, key=lambda o: o.depth, default=None)

    def existing(self, period, subject_type, member, organization) -> Assessment | None:
        return self.assessments.get((period.pk, subject_type, (member or organization).pk))


def _subject_filter(members, units):
    from django.db.models import Q

    return Q(member__in=[m.pk for m in members]) | Q(organization__in=[o.pk for o in units])


def register_all() -> None:
    register(RatingImporter)
