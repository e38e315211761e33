"""``import_xlsx ratings FILE --year Y [--reopen --reason R]``: decided ratings of units that did
not use the app.

A django-import-export resource run by the shared engine (``members.importing``): every row is
checked first (subject found in the user's scope, a period for the year, a valid level, no
duplicate), then the whole file's result is checked by the rating's rules (``engine.check``,
the approval page's own: who decides, open period, state, eligibility, HTXSNV conditions, the
quota of each unit as it will be after the import). Nothing is written unless every row passes;
then all rows are written in one transaction as decided (approved) results, each with an audit
entry. An approved result is overwritten only when the import asks to reopen it (``reopen`` and
``reason`` options), under the reopen's rule, with a reopen audit entry per rating.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from import_export.fields import Field
from import_export.results import RowResult

from members.importing import ImportResource, ResourceImporter, register
from members.models import Member
from members.widgets import TextWidget, WordsWidget, parse_text, peek_text
from organizations.levels import LevelRoles
from organizations.models import AuditEntry, Organization
from organizations.scoping import in_scope
from organizations.text import fold

from . import engine, rules
from .engine import Decision, Step
from .models import Assessment, RatingLevel, RatingPeriod, Status, SubjectType

YEAR, KIND, CODE, LEVEL, NOTE = "Năm", "Loại đối tượng", "Mã đối tượng", "Xếp loại", "Ghi chú"

KIND_WORDS = {
    "doan vien": SubjectType.MEMBER,
    "chi doan": SubjectType.BRANCH,
    "doan co so": SubjectType.GRASSROOTS,
    "chi doan co so": SubjectType.GRASSROOTS,
    "to chuc co so doan": SubjectType.GRASSROOTS,
    "co so": SubjectType.GRASSROOTS,
    "doan cap tren co so": SubjectType.UPPER,
    "cap tren co so": SubjectType.UPPER,
    "tap the lanh dao": SubjectType.COLLECTIVE,
    "bch": SubjectType.COLLECTIVE,
    "btv": SubjectType.COLLECTIVE,
} | {fold(label): value for value, label in SubjectType.choices}  # the words an export writes, read back
LEVEL_WORDS = {code.lower(): code for code in RatingLevel.values} | {
    fold(label): code for code, label in RatingLevel.choices
}
# The resource's field that an engine problem is reported at (``Problem.about``).
FIELD_OF_PROBLEM = {"subject": "code", "level": "level", "period": "year"}


class YearWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        year = _year(value)
        if year is None:
            raise ValueError(f"“{parse_text(value)}” không phải là năm (ví dụ 2025).")
        return year


@dataclass
class Planned:
    """What a row's year, kind and code resolve to, before its cells are written on the rating."""

    period: RatingPeriod
    subject_type: str
    member: Member | None
    organization: Organization | None
    unit: Organization
    approving_unit: Organization
    existing: Assessment | None


class RatingResource(ImportResource):
    year = Field(attribute="import_year", column_name=YEAR, widget=YearWidget())
    subject_type = Field(
        attribute="subject_type",
        column_name=KIND,
        widget=WordsWidget(
            KIND_WORDS,
            dict(SubjectType.choices),
            "“{value}” không phải loại đối tượng (đoàn viên, chi đoàn, đoàn cơ sở, chi đoàn cơ sở, "
            "đoàn cấp trên cơ sở, BCH).",
        ),
    )
    code = Field(attribute="import_code", column_name=CODE, widget=TextWidget())
    level = Field(
        attribute="final_level",
        column_name=LEVEL,
        widget=WordsWidget(
            LEVEL_WORDS, dict(RatingLevel.choices), "“{value}” không phải mức xếp loại (HTXSNV, HTTNV, HTNV, KHTNV)."
        ),
    )
    note = Field(attribute="note", column_name=NOTE, widget=TextWidget(), saves_null_values=False)

    class Meta:
        model = Assessment
        fields = ("year", "subject_type", "code", "level", "note")

    def prepare(self, dataset) -> None:
        wanted = self.options.get("year")
        years = {wanted} if wanted else {y for y in map(_year, dataset[YEAR]) if y}
        self.lookup = _Lookup([peek_text(c) for c in dataset[CODE]], years)
        self.seen: dict[tuple, int] = {}
        self.plan, self.problem = None, None
        self.decisions: list[Decision] = []
        reason = (self.options.get("reason") or "").strip()
        self.reopen_reason = reason if self.options.get("reopen") else None

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.index = kwargs["row_number"]  # the dataset's row, as import-export files errors
        self.plan, self.problem = self._resolve(row)

    def _resolve(self, row) -> tuple[Planned | None, tuple[str, str] | None]:
        """The row's subject, period and approving unit, or the first reason it has none. Cells that
        do not parse are left to their widgets (their errors are reported by import-export)."""
        year, wanted = _year(row.get(YEAR)), self.options.get("year")
        subject_type = KIND_WORDS.get(fold(peek_text(row.get(KIND))))
        if year is None or subject_type is None:
            return None, None
        if wanted and year != wanted:
            return None, ("year", f"Năm {year} khác năm đang nhập ({wanted}).")
        code = peek_text(row.get(CODE))
        subject = self.lookup.subject(subject_type, code)
        if subject is None or not (self.user is None or in_scope(self.user, subject[1])):
            label = SubjectType(subject_type).label.lower()
            return None, ("code", f"Không tìm thấy {label} mã “{code}” trong phạm vi của bạn.")
        member, unit = subject
        period = self.lookup.period(unit, year)
        if period is None:
            return None, ("year", f"Chưa có đợt xếp loại năm {year} cho {unit.name}.")
        approving = self.lookup.approving_unit(unit, member_subject=member is not None)
        if approving is None:
            return None, ("code", f"“{unit.name}” không có đơn vị cấp trên để công nhận.")
        organization = None if member else unit
        existing = self.lookup.existing(period, subject_type, member, organization)
        return Planned(period, subject_type, member, organization, unit, approving, existing), None

    def existing(self, row):
        return self.plan.existing if self.plan else None

    def init_instance(self, row=None):
        plan = self.plan
        if plan is None:
            return Assessment()
        return Assessment(
            period=plan.period,
            subject_type=plan.subject_type,
            member=plan.member,
            organization=plan.organization,
            unit=plan.unit,
            approving_unit=plan.approving_unit,
        )

    def check_row(self, assessment, broken: set[str]) -> list[tuple[str, str]]:
        if broken - {"final_level"}:
            return []
        if self.problem:
            return [self.problem]
        if broken or self.plan is None:
            return []
        plan = self.plan
        key = (plan.period.pk, plan.subject_type, (plan.member or plan.organization).pk)
        if key in self.seen:
            return [("import_code", f"Trùng đối tượng với dòng {self.seen[key]}.")]
        self.seen[key] = self.number
        return []

    def before_save_instance(self, assessment, row, **kwargs):
        """The row is a planned decision; the rating's rules check the file's plan as a whole
        (``bulk_create``) before anything is written."""
        plan = self.plan
        self.decisions.append(Decision(assessment, assessment.final_level, plan.approving_unit, row=self.index))
        note = peek_text(row.get(NOTE))
        before = plan.existing.before_label if plan.existing else ""
        assessment.audit = (before, f"Nhập từ Excel, dòng {self.number}" + (f": {note}" if note else ""))
        assessment.import_row, assessment.import_unit = self.number, plan.approving_unit

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # import-export calls this first of the writes, once every row is checked: the moment
        # the file's whole result is known and nothing is written yet.
        self._check_plan(result)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def _check_plan(self, result) -> None:
        """Each problem of the plan becomes its row's error; the row no longer counts as valid."""
        if result.base_errors:  # loading what the rows refer to failed: the file is refused whole
            return
        problems = engine.check(self.decisions, by=self.user, step=Step.IMPORT, reopen_reason=self.reopen_reason)
        by_row: dict[Decision, dict[str, list[str]]] = {}
        for problem in problems:
            message = problem.message
            if problem.shared:
                message = f"{problem.decision.assessment.subject_name}: {message[0].lower()}{message[1:]}"
            errors = by_row.setdefault(problem.decision, {})
            errors.setdefault(FIELD_OF_PROBLEM[problem.about], []).append(message)
        for decision, errors in by_row.items():
            result.append_invalid_row(decision.row, {}, ValidationError(errors))
            was = RowResult.IMPORT_TYPE_NEW if decision.assessment.pk is None else RowResult.IMPORT_TYPE_UPDATE
            result.totals[was] -= 1
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1

    def write_created(self, fresh: list[Assessment]) -> None:
        self._decide(fresh)
        Assessment.objects.bulk_create(fresh, batch_size=2000)
        if connection_needs_ids(fresh):
            _reload_ids(fresh)
        self._audit(fresh)

    def write_updated(self, changed: list[Assessment]) -> None:
        reopened = [a for a in changed if a.status == Status.APPROVED]  # the check allowed each reopen
        self._audit_reopened(reopened)
        self._decide(changed)
        fields = ["approving_unit", "proposed_level", "final_level", "status", "approved_by", "approved_at"]
        extra = ["imported", "updated_by", "note", "reopened_count"]
        _update_rows(changed, [*fields, *extra])
        self._audit(changed)

    def _decide(self, assessments: list[Assessment]) -> None:
        now = timezone.now()
        for a in assessments:
            a.approving_unit, a.proposed_level = a.import_unit, a.final_level
            a.status, a.approved_by, a.approved_at = Status.APPROVED, self.user, now
            a.imported, a.updated_by = True, self.user

    def _audit_reopened(self, assessments: list[Assessment]) -> None:
        """What ``assessment_reopen`` records, one entry per rating the import reopens."""
        for a in assessments:
            a.reopened_count += 1
        self._entries(
            assessments,
            action="reopen",
            states=lambda a: (Status.APPROVED.label, Status.SUBMITTED.label),
            reason=lambda a: f"{self.reopen_reason} (nhập từ Excel, dòng {a.import_row})",
        )

    def _audit(self, assessments: list[Assessment]) -> None:
        self._entries(
            assessments,
            action="import",
            states=lambda a: (a.audit[0], f"Đã công nhận: {RatingLevel(a.final_level).label}"),
            reason=lambda a: a.audit[1],
        )

    def _entries(self, assessments: list[Assessment], *, action: str, states, reason) -> None:
        content_type = ContentType.objects.get_for_model(Assessment)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    content_type=content_type,
                    object_id=a.pk,
                    action=action,
                    by=self.user,
                    organization=a.approving_unit,
                    from_state=states(a)[0],
                    to_state=states(a)[1],
                    reason=reason(a),
                )
                for a in assessments
            ],
            batch_size=2000,
        )


class RatingImporter(ResourceImporter):
    kind = "ratings"
    label = "Kết quả xếp loại chất lượng"
    resource_class = RatingResource
    headers = [YEAR, KIND, CODE, LEVEL]
    optional_headers = [NOTE]
    example = {YEAR: "2026", KIND: "Đoàn viên", CODE: "001303012345", LEVEL: "HTTNV", NOTE: ""}
    reopens = True  # options ``reopen`` and ``reason``: overwrite approved results by reopening them

    @classmethod
    def choices(cls) -> dict[str, list[str]]:
        return {**super().choices(), LEVEL: list(RatingLevel.values)}  # the codes officers write


def connection_needs_ids(objs) -> bool:
    return any(a.pk is None for a in objs)


def _reload_ids(objs: list[Assessment]) -> None:
    """Backends that do not return ids from bulk_create: read them back by subject."""
    for a in objs:
        lookup = (
            {"member": a.member} if a.member_id else {"organization": a.organization, "subject_type": a.subject_type}
        )
        a.pk = Assessment.objects.filter(period=a.period, **lookup).values_list("pk", flat=True).get()


def _update_rows(assessments: list[Assessment], fields: list[str]) -> None:
    """Write ``fields`` of saved ratings. bulk_update's CASE per field took 69 s for 2,000
    re-imported ratings (bench/evaluations.py); on PostgreSQL one UPDATE … FROM VALUES a page,
    each value cast to its column's type (a column of NULLs would otherwise read as text)."""
    if connection.vendor != "postgresql":
        Assessment.objects.bulk_update(assessments, fields, batch_size=2000)
        return
    from psycopg2.extras import execute_values

    columns = [Assessment._meta.get_field(name) for name in fields]
    names = [c.column for c in columns]
    sets = ", ".join(f"{n} = v.{n}" for n in names)
    template = "(%s, " + ", ".join(f"%s::{c.cast_db_type(connection)}" for c in columns) + ")"
    rows = [(a.pk, *(c.get_db_prep_save(getattr(a, c.attname), connection) for c in columns)) for a in assessments]
    table = Assessment._meta.db_table
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"UPDATE {table} AS a SET {sets} FROM (VALUES %s) AS v(id, {', '.join(names)}) WHERE a.id = v.id",
            rows,
            template=template,
            page_size=5000,
        )


def _year(value) -> int | None:
    text = peek_text(value)
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
        self.level_roles = LevelRoles.load()
        self.periods = list(RatingPeriod.objects.filter(year__in=years).select_related("root"))
        self._lock_periods(years)
        self.assessments = {}
        saved = (
            Assessment.objects.filter(period__in=self.periods)
            .filter(_subject_filter(self.members.values(), self.units.values()))
            .select_related("member", "organization", "unit", "approving_unit")
        )
        # Ratings waiting in a submitted batch are refused, not written: read, never locked (the
        # deciders keep working on them). The others are locked in pk order, as the rating's
        # services lock them, until the import's transaction ends, so no decision made meanwhile
        # is overwritten.
        waiting = saved.filter(status=Status.SUBMITTED)
        held = saved.exclude(status=Status.SUBMITTED).select_for_update(of=("self",)).order_by("pk")
        periods = {p.pk: p for p in self.periods}
        for a in [*waiting, *held]:
            a.period = periods[a.period_id]  # the rules read it, as held above: never a query a row
            a.before_label = a.get_final_level_display() if a.final_level else ""
            self.assessments[(a.period_id, a.subject_type, a.member_id or a.organization_id)] = a

    def _lock_periods(self, years: set[int]) -> None:
        """Hold the periods the file's subjects fall in, first of the lock order (services
        docstring), and read whether they are locked now: a period lock committed meanwhile is
        seen, one started meanwhile waits for the import, so no result lands in a locked period.

        A share lock (``FOR SHARE``), not Django's ``FOR UPDATE``: a decision inserting its quota
        row takes a key-share lock on the period (the foreign key), which ``FOR UPDATE`` blocks
        while the import then waits for that decision's quota row (a deadlock, found in
        test_import_concurrent); a share lock blocks only ``period_lock``, and imports run side by side."""
        units = [m.branch for m in self.members.values()] + list(self.units.values())
        covering = {p.pk for unit in units for year in years if (p := self.period(unit, year))}
        if not covering:  # no row can find its period: each says so, nothing to hold
            return
        query = RatingPeriod.objects.filter(pk__in=covering).order_by("pk").values_list("pk", "is_locked")
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql + (" FOR SHARE" if connection.features.has_select_for_update else ""), params)
            locked = dict(cursor.fetchall())
        for period in self.periods:
            period.is_locked = locked.get(period.pk, period.is_locked)

    def subject(self, subject_type: str, code: str):
        if subject_type == SubjectType.MEMBER:
            member = self.members.get(code)
            return (member, member.branch) if member else None
        unit = self.units.get(code.upper())
        if unit is None or (
            subject_type != SubjectType.COLLECTIVE and rules.org_subject_type(unit, self.level_roles) != subject_type
        ):
            return None
        return (None, unit)

    def period(self, unit: Organization, year: int) -> RatingPeriod | None:
        covering = [p for p in self.periods if p.year == year and unit.path.startswith(p.root.path)]
        return max(covering, key=lambda p: p.root.depth, default=None)

    def approving_unit(self, unit: Organization, *, member_subject: bool) -> Organization | None:
        above = [self.ancestors[p] for p in unit.ancestor_paths() if p in self.ancestors]
        if member_subject:
            found = rules.member_deciding_grassroots(unit, above)
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
