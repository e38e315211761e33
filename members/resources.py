"""The django-import-export resource behind the "members" import and the roster export.

Its fields are the published template's Vietnamese columns, so a roster exported through it
re-imports cleanly. Rows are matched to saved members by CCCD, else card number, else name +
birth date + chi đoàn (the issue's order), in the database through a temporary table of the
file's keys (``members.matching``); everything else a row refers to is loaded in ``prepare``
with a few bulk queries, and new members go in by COPY on PostgreSQL."""

import os
from datetime import datetime

from django.utils import timezone
from import_export.fields import Field
from import_export.results import RowResult

from organizations import audit
from organizations.models import Level, Organization
from organizations.services import add_to_counts
from organizations.text import fold

from .bulk import COPY_FIELDS, insert_rows, update_members
from .importing import ImportResource, clean_column
from .matching import Saved, match_rows
from .models import ON_ROLL, Member
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
_ATTNAME = {f.name: f.attname for f in Member._meta.concrete_fields}
# a new member before the file's values: the model's defaults, on the roll
NEW_ROW = {f.attname: f.get_default() for f in Member._meta.concrete_fields} | {"status": Member.Status.ACTIVE}
NEW_DEFAULTS = {f.name: NEW_ROW[f.attname] for f in Member._meta.concrete_fields}
CHUNK = 5000  # rows whose saved members are read in one query
IDENTITY = ("citizen_id", "card_number", "birth_date", "branch")  # the cells matching reads


def _plain(value):
    """A cleaned cell as the row stores it: a chi đoàn by its id."""
    return value.pk if isinstance(value, Organization) else value


def _field(header: str, name: str, widget) -> Field:
    # An empty cell keeps the saved value on a re-import (the model's default for a new member):
    # a blank in a secretary's sheet means "not filled in here", not "erase what is on file".
    return Field(attribute=name, column_name=header, widget=widget, saves_null_values=False)


def _text(header: str, name: str, **options) -> Field:
    options.setdefault("max_length", _MAX.get(name))
    return _field(header, name, TextWidget(**options))


def _date(header: str, name: str, **options) -> Field:
    return _field(header, name, DateWidget(**options))


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
    batched = True  # checked column by column in ``check_rows``, not by import-export's loop

    def prepare(self, dataset) -> None:
        self.today = timezone.localdate()  # Việt Nam's day, once per file
        self.now = timezone.now()
        self.branches = self._branch_table({parse_code(c) for c in dataset[self.fields["branch"].column_name]})
        self.checked = {f.attribute for f in self.fields.values() if f.column_name in self.present and not f.readonly}
        self.columns = self._clean_columns(dataset)
        keys = self._identities(dataset)
        self.matches, self.conflicts = match_rows(keys)
        self.entered = _entered_since(self.matches, self.options.get("entered_since"))
        self.duplicates = _in_file_duplicates(keys)
        self.claimed = _claimed(self.matches, self.conflicts)
        del keys  # before the saved values come: the peak of a re-import's memory is here
        self.written = self._written_fields()
        wanted = {"id", "status", *self.written}  # in the model's field order
        self.loaded = [f.attname for f in Member._meta.concrete_fields if f.attname in wanted]
        known = {o.pk: o for o in self.branches.values() if isinstance(o, Organization)}
        elsewhere = {m.branch_id for m in self.matches.values()} - set(known)
        known |= {o.pk: o for o in _with_levels(Organization.objects.filter(pk__in=elsewhere))}
        self.units_by_id = known
        self.counts: list[tuple[str, int, int, int]] = []  # (path, members, 0, 0) changes to apply

    def _clean_columns(self, dataset) -> dict[str, tuple[list, dict[int, str]]]:
        """{field name: (cleaned values, {row index: message})} for each of the file's columns."""
        columns = {}
        for declared in self.get_import_fields():
            if not declared.readonly:
                columns[declared.attribute] = clean_column(declared.widget, dataset[declared.column_name])
        return columns

    def _identities(self, dataset) -> dict[int, tuple]:
        """Row number -> (CCCD, card number, (folded name, birth date, chi đoàn id) or None), as
        the row's cells clean (None where one does not: that row's error comes later)."""
        blank = [None] * len(dataset)
        cid, card, birth, branch = (self.columns.get(n, (blank,))[0] for n in IDENTITY)
        names = dataset[self.fields["full_name"].column_name]
        keys = {}
        for index, number in enumerate(dataset[ROW]):
            name, unit = fold(peek_text(names[index])), branch[index]
            person = (name, birth[index], unit.pk) if unit is not None and name and birth[index] else None
            keys[number] = (cid[index], card[index], person)
        return keys

    def _written_fields(self) -> list[str]:
        """Attribute names a re-import writes: the file's columns, the search key's source, the
        chi đoàn (with the date the member joined it) and who changed it."""
        names = [f.attribute for f in self.fields.values() if f.column_name in self.present and not f.readonly]
        names = dict.fromkeys([*names, "full_name", "branch", "joined_branch_on", "updated_by"])
        return [Member._meta.get_field(n).attname for n in names]

    def _saved_values(self, numbers: list[int]) -> dict[int, tuple]:
        """The saved values of the columns a re-import writes, for the members these rows update:
        tuples, not instances; asked for 5,000 rows at a time as they are checked, so a file's
        worth of them is never held at once (a re-import's peak memory was here)."""
        pks = [m.pk for n in numbers if (m := self.matches.get(n)) is not None and n not in self.conflicts]
        return {values[0]: values for values in Member.objects.filter(pk__in=pks).values_list(*self.loaded)}

    def _branch_table(self, codes: set[str]) -> dict:
        """Folded code -> a chi đoàn the user may write to, or why that code cannot be used."""
        table = {}
        for org in _with_levels(Organization.objects.filter(code__in=codes - {""})):
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

    # -- per row, on plain values ---------------------------------------------------------------
    def check_rows(self, dataset, result) -> None:
        numbers = dataset[ROW]
        broken_rows = set().union(*(errors for _, errors in self.columns.values()))
        for index, number in enumerate(numbers):
            self.number = number
            if index % CHUNK == 0:
                self.saved = self._saved_values(numbers[index : index + CHUNK])
            try:
                broken = self._broken(index) if index in broken_rows else {}
                given = {name: values[index] for name, (values, _) in self.columns.items() if values[index] is not None}
                match = None if number in self.conflicts else self.matches.get(number)
                before = dict(zip(self.loaded, self.saved[match.pk], strict=True)) if match else None
                errors = self.errors_of(given, before, broken)
                if not errors and before is None:
                    self.create_instances.append(self._created(given))
                elif not errors:
                    self.update_instances.append(self._updated(given, before))
            except Exception as exc:  # a bug, not the file's fault: the row is named, the log has the rest
                self.file_failed_row(result, index, exc)
                continue
            kind = RowResult.IMPORT_TYPE_NEW if before is None else RowResult.IMPORT_TYPE_UPDATE
            self.file_row(result, index, number, errors, kind)

    def _broken(self, index: int) -> dict[str, list[str]]:
        """The row's cells its widget refused: {field name: [message]}, in the file's column order."""
        return {name: [errors[index]] for name, (_, errors) in self.columns.items() if index in errors}

    def errors_of(self, given: dict, before: dict | None, broken: dict) -> dict[str, list[str]]:
        """Every rule the row breaks: its cells', then the record's (members.validation), then,
        for a row with neither, those across rows and the scope's."""
        names = self.checked - set(broken)
        if before is None:  # a new member: every rule on what the file gives, the model's defaults else
            current = {name: given.get(name, NEW_DEFAULTS.get(name)) for name in names}
            rules = field_errors(current, today=self.today)
            rules = {k: v for k, v in rules.items() if k in self.checked or k in ALWAYS_CHECKED}
        else:  # a re-import answers only for what it changes (like an edit on the page)
            current = {name: given[name] if name in given else before[_ATTNAME[name]] for name in names}
            rules = errors_for_changes(field_errors(current, today=self.today), self._changed(given, before))
        errors = {name: list(messages) for name, messages in broken.items()}
        for name, message in rules.items():
            if name not in broken:
                errors.setdefault(name, []).append(message)
        if errors:
            return errors
        return {name: [message] for name, message in self._cross_row_errors(given["branch"])}

    @staticmethod
    def _changed(given: dict, before: dict) -> set[str]:
        return {name for name, value in given.items() if _plain(value) != before.get(_ATTNAME[name])}

    def _cross_row_errors(self, branch: Organization) -> list[tuple[str, str]]:
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
        if current is not None and current.pk != branch.pk and not can_manage_members(self.user, current):
            return [
                (
                    "citizen_id",
                    "Đoàn viên này đang sinh hoạt ở một chi đoàn ngoài phạm vi của bạn: "
                    "hãy đề nghị chuyển sinh hoạt thay vì nhập.",
                )
            ]
        return []

    def _created(self, given: dict) -> tuple:
        """A new member's row as COPY writes it: the file's values, the model's defaults for the rest; in the
        chi đoàn from its admission day unless the file says (today when it says neither)."""
        values = {**NEW_ROW, **{_ATTNAME[name]: _plain(value) for name, value in given.items()}}
        values["updated_by_id"] = self.user.pk if self.user else None
        values["joined_branch_on"] = values["joined_branch_on"] or values["admitted_on"] or self.today
        values["name_folded"] = fold(values["full_name"])
        values["created_at"] = values["updated_at"] = self.now
        self.counts.append((given["branch"].path, 1, 0, 0))
        return [values[name] for name in COPY_FIELDS]

    def _updated(self, given: dict, before: dict) -> tuple:
        """(id, *written) of a matched member: the saved values, with the file's over them; one
        moved to another chi đoàn is in it from today (unless the file says) and counted there."""
        values = {**before, **{_ATTNAME[name]: _plain(value) for name, value in given.items()}}
        values["updated_by_id"] = self.user.pk if self.user else None
        moved_from = before["branch_id"]
        if values["branch_id"] != moved_from:
            if values["joined_branch_on"] == before["joined_branch_on"]:
                values["joined_branch_on"] = self.today  # in the new chi đoàn from today
            if before["status"] in ON_ROLL:
                self.counts += [(self.units_by_id[moved_from].path, -1, 0, 0), (given["branch"].path, 1, 0, 0)]
        return (values["id"], *(values[name] for name in self.written))

    # -- writing, once, when every row is valid -------------------------------------------------------
    def write_created(self, rows: list[list]) -> None:
        insert_rows(rows)

    def write_updated(self, rows: list[tuple]) -> None:
        columns = ["id", *self.written]
        update_members((dict(zip(columns, row, strict=True)) for row in rows), self.written)

    def finish(self, result) -> None:
        units = [o for o in self.branches.values() if isinstance(o, Organization)]
        reason = os.path.basename(str(self.options.get("filename") or ""))
        finish_tree_import(self, result, units, self.counts, action="import_members", reason=reason)

    # -- export -------------------------------------------------------------------------------------
    def export_columns(self) -> list[tuple[str, object]]:
        """(lookup, render) per export column, in the import's column order: the value a query
        reads for it (a chi đoàn by its code) and how the column's widget writes it, so an export
        streams plain values (``values_list``) instead of a model instance and a Field per cell;
        a date stays a date (a real date cell)."""
        columns = []
        for field in self.get_export_fields():
            widget = field.widget
            if isinstance(widget, LookupWidget):
                columns.append((f"{field.attribute}__{widget.render_attr}", _text_of))
            elif isinstance(widget, DateWidget):
                columns.append((field.attribute, None))
            elif isinstance(widget, WordsWidget | TextWidget):
                columns.append((field.attribute, widget.render))
            else:  # import-export's own Widget: the value as text
                columns.append((field.attribute, _text_of))
        return columns


def _text_of(value) -> str:
    return "" if value is None else str(value)


def parse_code(value) -> str:
    return peek_text(value).upper()


def _quiet(clean, value):
    """A cell's cleaned value, or None when it does not clean (that row's error comes later)."""
    try:
        return clean(value)
    except ValueError:
        return None


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _with_levels(units):
    """The units, each with its level from one shared instance per level (a national file names
    some 10⁵ chi đoàn: select_related would build as many copies of the same few levels)."""
    levels = {level.pk: level for level in Level.objects.all()}
    for unit in units:
        unit.level = levels[unit.level_id]
        yield unit


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
