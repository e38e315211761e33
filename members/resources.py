"""The django-import-export resource behind the "members" import and the roster export.

Its fields are the published template's Vietnamese columns, so a roster exported through it
re-imports cleanly. Rows are matched to saved members by CCCD, else card number, else name +
birth date + chi đoàn (the issue's order), in the database through a temporary table of the
file's keys (``members.matching``); everything else a row refers to is loaded in ``prepare``
with a few bulk queries, and new members go in by COPY on PostgreSQL."""

import os
from datetime import date, datetime

from import_export.fields import Field
from import_export.results import RowResult

from organizations import audit
from organizations.models import Organization
from organizations.services import add_to_counts
from organizations.text import fold

from .bulk import COPY_FIELDS, insert_members, update_members
from .importing import ImportResource
from .matching import Saved, match_rows
from .models import Member
from .permissions import can_manage_members
from .validation import errors_for_changes, field_errors
from .widgets import (
    DateWidget,
    EmailWidget,
    LookupWidget,
    PhoneWidget,
    TextWidget,
    WordsWidget,
    peek_text,
    yes_no_widget,
)
from .xlsxreader import ROW

_MAX = {f.name: f.max_length for f in Member._meta.fields if getattr(f, "max_length", None)}
GENDER_WORDS = {"nam": Member.Gender.MALE, "nu": Member.Gender.FEMALE, "khac": Member.Gender.OTHER}
ALWAYS_CHECKED = ("full_name", "birth_date", "gender")  # required whether or not their cell is filled
ON_ROLL = (Member.Status.ACTIVE, Member.Status.TRANSFERRING)  # counted in the tree's totals
_CONCRETE = Member._meta.concrete_fields
_ATTNAMES = [f.attname for f in _CONCRETE]
INSERTED = [f for f in COPY_FIELDS if f not in ("name_folded", "created_at", "updated_at")]
BRANCH_AT = INSERTED.index("branch_id")


def _field(header: str, name: str, widget) -> Field:
    # An empty cell keeps the saved value on a re-import (the model's default for a new member):
    # a blank in a secretary's sheet means "not filled in here", not "erase what is on file".
    return Field(attribute=name, column_name=header, widget=widget, saves_null_values=False)


def _text(header: str, name: str, **options) -> Field:
    options.setdefault("max_length", _MAX.get(name))
    return _field(header, name, TextWidget(**options))


class _DateCells(DateWidget):
    """Each date text parsed once per file: 100,000 rows hold a few thousand distinct days, and
    strptime was a tenth of an import's time (a bad one is not kept: its row reports it)."""

    def __init__(self, **options):
        super().__init__(**options)
        self.parsed: dict[str, date | None] = {}

    def clean(self, value, row=None, **kwargs):
        if not isinstance(value, str):
            return super().clean(value, row, **kwargs)
        day = self.parsed.get(value)
        if day is None:
            day = super().clean(value, row, **kwargs)
            if len(self.parsed) > 100_000:  # bounded, whatever the file
                self.parsed.clear()
            self.parsed[value] = day
        return day


def _date(header: str, name: str, **options) -> Field:
    return _field(header, name, _DateCells(**options))


class MemberResource(ImportResource):
    # the published template's minimum, in its order
    full_name = _text("Họ và tên", "full_name", empty_message="Chưa nhập họ và tên.")
    birth_date = _date("Ngày sinh", "birth_date", empty_message="Chưa nhập ngày sinh.")
    gender = _field(
        "Giới tính",
        "gender",
        WordsWidget(GENDER_WORDS, dict(Member.Gender.choices), "“{value}” không phải giới tính (Nam, Nữ hoặc Khác)."),
    )
    citizen_id = _text("Số CCCD", "citizen_id", digits=12, compact=True, max_length=None)  # 12 digits: validation
    branch = _field("Mã chi đoàn", "branch", LookupWidget(empty_message="Chưa nhập mã chi đoàn."))
    admitted_on = _date("Ngày vào Đoàn", "admitted_on")
    card_number = _text("Số thẻ đoàn", "card_number", upper=True, compact=True)
    ethnicity = _text("Dân tộc", "ethnicity")
    phone = _field("Số điện thoại", "phone", PhoneWidget(max_length=_MAX["phone"]))
    # optional columns
    religion = _text("Tôn giáo", "religion")
    admitted_at = _text("Nơi vào Đoàn", "admitted_at")
    email = _field("Email", "email", EmailWidget(max_length=_MAX["email"]))
    address = _text("Địa chỉ", "address")
    education_level = _text("Trình độ học vấn", "education_level")
    qualification = _text("Trình độ chuyên môn", "qualification")
    political_theory = _text("Lý luận chính trị", "political_theory")
    occupation = _text("Nghề nghiệp", "occupation")
    is_party_member = _field("Đảng viên", "is_party_member", yes_no_widget())
    party_joined_on = _date("Ngày vào Đảng", "party_joined_on")
    joined_branch_on = _date("Sinh hoạt tại chi đoàn từ", "joined_branch_on")
    # export only, for people reading the file (the importer does not read them back)
    branch_name = Field(attribute="branch__name", column_name="Tên chi đoàn", readonly=True)
    status = Field(
        attribute="status",
        column_name="Trạng thái",
        widget=WordsWidget({}, dict(Member.Status.choices), ""),
        readonly=True,
    )

    class Meta:
        model = Member
        fields = (
            "full_name",
            "birth_date",
            "gender",
            "citizen_id",
            "branch",
            "admitted_on",
            "card_number",
            "ethnicity",
            "phone",
            "religion",
            "admitted_at",
            "email",
            "address",
            "education_level",
            "qualification",
            "political_theory",
            "occupation",
            "is_party_member",
            "party_joined_on",
            "joined_branch_on",
            "branch_name",
            "status",
        )
        export_order = fields

    # -- loading, once per file ---------------------------------------------------------------------
    def prepare(self, dataset) -> None:
        headers = dataset.headers
        self.branches = self._branch_table({parse_code(c) for c in dataset[self.fields["branch"].column_name]})
        self.branch_cells: dict = {}
        self.checked = {f.attribute for f in self.fields.values() if f.column_name in self.present and not f.readonly}
        self.blank = [Member.Status.ACTIVE if f.attname == "status" else f.get_default() for f in _CONCRETE]
        records = (dict(zip(headers, values, strict=True)) for values in dataset)  # one at a time: 10⁵ rows
        keys = {r[ROW]: self._identity(r) for r in records}
        self.matches, self.conflicts = match_rows(keys)
        self.entered = _entered_since(self.matches, self.options.get("entered_since"))
        self.duplicates = _in_file_duplicates(keys)
        self.claimed = _claimed(self.matches, self.conflicts)
        self.written = self._written_fields()
        wanted = {"id", "status", *self.written}  # in the model's field order, as Model.from_db reads them
        self.loaded = [f.attname for f in Member._meta.concrete_fields if f.attname in wanted]
        self.saved = self._saved_values([m.pk for m in self.matches.values()])
        known = {o.pk: o for o in self.branches.values() if isinstance(o, Organization)}
        elsewhere = {m.branch_id for m in self.matches.values()} - set(known)
        known |= {o.pk: o for o in Organization.objects.filter(pk__in=elsewhere).select_related("level")}
        self.units_by_id = known
        self.before: dict | None = None
        self.counts: list[tuple[str, int, int, int]] = []  # (path, members, 0, 0) changes to apply

    def _written_fields(self) -> list[str]:
        """Attribute names a re-import writes: the file's columns, the search key's source, the
        chi đoàn (with the date the member joined it) and who changed it."""
        names = [f.attribute for f in self.fields.values() if f.column_name in self.present and not f.readonly]
        names = dict.fromkeys([*names, "full_name", "branch", "joined_branch_on", "updated_by"])
        return [Member._meta.get_field(n).attname for n in names]

    def _saved_values(self, pks: list[int]) -> dict[int, tuple]:
        """The saved values of the columns a re-import writes, for every matched member: tuples, not
        instances (an instance is built per row in ``existing``, the other fields deferred)."""
        saved = {}
        for chunk in _chunks(pks):
            for values in Member.objects.filter(pk__in=chunk).values_list(*self.loaded):
                saved[values[0]] = values
        return saved

    def _branch_table(self, codes: set[str]) -> dict:
        """Folded code -> a chi đoàn the user may write to, or why that code cannot be used."""
        table = {}
        for org in Organization.objects.filter(code__in=codes - {""}).select_related("level"):
            if not can_manage_members(self.user, org):
                continue  # outside the scope: answered like an unknown code
            if not org.level.is_branch:
                table[fold(org.code)] = f"“{org.code}” là {org.level.name}, không phải chi đoàn."
            elif not org.is_active:
                table[fold(org.code)] = f"Chi đoàn “{org.code}” đã giải thể hoặc hợp nhất."
            else:
                table[fold(org.code)] = org
        widget = self.fields["branch"].widget
        widget.table, widget.unknown = table, "Không có chi đoàn mã “{value}” trong phạm vi của bạn."
        return table

    def _branch_of(self, cell):
        """The chi đoàn (or why not) a code cell names, folded once per distinct cell."""
        if cell not in self.branch_cells:
            self.branch_cells[cell] = self.branches.get(fold(parse_code(cell)))
        return self.branch_cells[cell]

    def _cell(self, record: dict, name: str):
        return record.get(self.fields[name].column_name)

    def _identity(self, record: dict) -> tuple:
        """(CCCD, card number, (folded name, birth date, chi đoàn id)) as the row's cells will clean to."""
        cid = _quiet(self.fields["citizen_id"].widget.clean, self._cell(record, "citizen_id"))
        card = _quiet(self.fields["card_number"].widget.clean, self._cell(record, "card_number"))
        branch = self._branch_of(self._cell(record, "branch"))
        birth = _quiet(self.fields["birth_date"].widget.clean, self._cell(record, "birth_date"))
        name = fold(peek_text(self._cell(record, "full_name")))
        person = (name, birth, branch.pk) if isinstance(branch, Organization) and name and birth else None
        return cid, card, person

    # -- per row ------------------------------------------------------------------------------------
    def existing(self, row):
        match = self.matches.get(self.number)
        if match is None or self.number in self.conflicts:
            self.before = None
            return None
        values = self.saved[match.pk]
        self.before = dict(zip(self.loaded, values, strict=True))
        return Member.from_db(None, self.loaded, values)

    def init_instance(self, row=None):
        # positionally, as a query builds its rows: Model.__init__'s keyword path was a tenth of an import
        member = Member.from_db(None, _ATTNAMES, self.blank)
        member._state.adding = True
        return member

    def check_row(self, instance, broken: set[str]) -> list[tuple[str, str]]:
        present = self.checked
        values = {name: getattr(instance, name) for name in present - broken}
        errors = field_errors(values)
        if self.before is None:  # a new member: every rule on what the file gives
            errors = {k: v for k, v in errors.items() if k in present or k in ALWAYS_CHECKED}
        else:  # a re-import answers only for what it changes (like an edit on the page)
            errors = errors_for_changes(errors, {name for name in values if self._changed(instance, name)})
        errors = [(name, message) for name, message in errors.items() if name not in broken]
        if errors or broken:
            return errors
        return self._cross_row_errors(instance)

    def _changed(self, instance, name: str) -> bool:
        attname = Member._meta.get_field(name).attname
        return getattr(instance, attname) != self.before.get(attname)

    def _cross_row_errors(self, instance) -> list[tuple[str, str]]:
        number = self.number
        if number in self.entered:
            return [("citizen_id", self.entered[number])]
        if number in self.conflicts:
            return [("card_number", self.conflicts[number])]
        if number in self.duplicates:
            name, value, first = self.duplicates[number]
            return [(name, f"“{value}” trùng với dòng {first}.")]
        if number in self.claimed:
            return [("full_name", f"Cùng một đoàn viên với dòng {self.claimed[number]}.")]
        match = self.matches.get(number)
        current = self.units_by_id.get(match.branch_id) if match else None
        if current is not None and current.pk != instance.branch.pk and not can_manage_members(self.user, current):
            return [
                (
                    "citizen_id",
                    "Đoàn viên này đang sinh hoạt ở một chi đoàn ngoài phạm vi của bạn: "
                    "hãy đề nghị chuyển sinh hoạt thay vì nhập.",
                )
            ]
        return []

    def before_save_instance(self, instance, row, **kwargs):
        instance.updated_by_id = self.user.pk if self.user else None
        if self.before is None:
            instance.joined_branch_on = instance.joined_branch_on or instance.admitted_on or date.today()
            self.counts.append((instance.branch.path, 1, 0, 0))
            return
        moved_from = self.before["branch_id"]
        if instance.branch_id != moved_from:
            if not self._changed(instance, "joined_branch_on"):
                instance.joined_branch_on = date.today()  # in the new chi đoàn from today
            if self.before["status"] in ON_ROLL:
                self.counts += [(self.units_by_id[moved_from].path, -1, 0, 0), (instance.branch.path, 1, 0, 0)]

    # -- writing, once, when every row is valid -------------------------------------------------------
    def pack(self, member: Member, is_create: bool) -> tuple:
        return tuple(getattr(member, name) for name in (INSERTED if is_create else ["id", *self.written]))

    def write_created(self, rows: list[tuple]) -> None:
        insert_members(dict(zip(INSERTED, row, strict=True)) for row in rows)

    def write_updated(self, rows: list[tuple]) -> None:
        columns = ["id", *self.written]
        update_members((dict(zip(columns, row, strict=True)) for row in rows), self.written)

    def finish(self, result) -> None:
        units = [o for o in self.branches.values() if isinstance(o, Organization)]
        reason = os.path.basename(str(self.options.get("filename") or ""))
        finish_tree_import(self, result, units, self.counts, action="import_members", reason=reason)

    # -- export -------------------------------------------------------------------------------------
    def rows(self, queryset):
        """The roster as rows of text, in the import's column order (streamed, 5,000 at a time)."""
        fields = self.get_export_fields()
        for member in queryset.select_related("branch").iterator(5000):
            yield [field.export(member) for field in fields]


def parse_code(value) -> str:
    return peek_text(value).upper()


def _quiet(clean, value):
    """A cell's cleaned value, or None when it does not clean (that row's error comes later)."""
    try:
        return clean(value)
    except ValueError:
        return None


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _entered_since(matches: dict[int, Saved], since: str | None) -> dict[int, str]:
    """Row number -> why it is not written: the member it matches was entered after this file was
    checked (``since``, set by ``import_jobs.confirm_import``), by another file confirmed at the
    same time or on the page. The uploader saw the row as new; writing it as an update of someone
    else's fresh record would hide that. One query per 5,000 matches."""
    if not since or not matches:
        return {}
    entered = {}
    for chunk in _chunks(sorted({m.pk for m in matches.values()})):
        fresh = Member.objects.filter(pk__in=chunk, created_at__gte=datetime.fromisoformat(since))
        for pk, name, cid, card in fresh.values_list("pk", "full_name", "citizen_id", "card_number"):
            which = f"CCCD {cid}" if cid else f"số thẻ {card}" if card else "cùng họ tên, ngày sinh, chi đoàn"
            entered[pk] = (
                f"Đã có đoàn viên {name} ({which}), được ghi sau khi tệp này được kiểm tra (có thể từ một tệp "
                "khác nhập cùng lúc); dòng này không được ghi."
            )
    return {number: entered[m.pk] for number, m in matches.items() if m.pk in entered}


def _in_file_duplicates(keys: dict[int, tuple]) -> dict[int, tuple[str, str, int]]:
    """Row number -> (field, value, first row) for a CCCD or card number already on an earlier row."""
    duplicates = {}
    for position, name in enumerate(("citizen_id", "card_number")):
        seen: dict[str, int] = {}
        for number, key in keys.items():
            value = key[position]
            if value and value in seen:
                duplicates.setdefault(number, (name, value, seen[value]))
            elif value:
                seen[value] = number
    return duplicates


def _claimed(matches: dict[int, Saved], conflicts: dict[int, str]) -> dict[int, int]:
    """Row number -> the earlier row that already updates the same member."""
    first: dict[int, int] = {}
    claimed = {}
    for number, match in matches.items():
        if number in conflicts:
            continue
        if match.pk in first:
            claimed[number] = first[match.pk]
        else:
            first[match.pk] = number
    return claimed


def common_ancestor(units: list[Organization]) -> Organization | None:
    """The deepest unit holding all of ``units`` (where an import's audit entry is filed)."""
    if not units:
        return None
    prefix = os.path.commonprefix([u.path for u in units])
    step = Organization.steplen
    prefix = prefix[: len(prefix) // step * step]
    return Organization.objects.filter(path=prefix).first() if prefix else None


def finish_tree_import(resource: ImportResource, result, units: list[Organization], counts, *, action, reason=""):
    """After an import that changed members or units: its changes to the tree's summary counts
    (increments, so an admission committed meanwhile is kept), then one audit entry at the deepest
    unit holding everything the file wrote."""
    add_to_counts(counts)
    where = common_ancestor(units)
    if where is not None:
        created, updated = result.totals[RowResult.IMPORT_TYPE_NEW], result.totals[RowResult.IMPORT_TYPE_UPDATE]
        audit.record(
            target=where,
            action=action,
            by=resource.user,
            organization=where,
            to_state=f"{created} mới, {updated} cập nhật",
            reason=reason,
        )
