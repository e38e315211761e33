"""The "members" and "organizations" Excel imports (``import_xlsx KIND FILE``, the upload page).

Both validate every row before writing anything, resolve foreign keys from one dict loaded up
front, write in batches (COPY / one UPDATE … FROM on PostgreSQL) and rebuild the tree's summary
counts once at the end. A re-import updates, never duplicates. They only write inside the
importing user's scope; without a user (the command run by an operator) the whole tree."""

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F

from organizations import audit
from organizations.models import Level, Organization, UnitKind
from organizations.scoping import can_manage_children
from organizations.services import PathAllocator, rebuild_counts
from organizations.text import fold

from .bulk import branch_member_counts, insert_members, update_members
from .importing import ImportResult, RowError, XlsxImporter, parse_date, parse_text, register
from .models import Member
from .permissions import can_manage_members
from .validation import field_errors

# Vietnamese header -> (model field, kind). The first nine are the published template's minimum.
MEMBER_COLUMNS = {
    "Họ và tên": ("full_name", "text"),
    "Ngày sinh": ("birth_date", "date"),
    "Giới tính": ("gender", "gender"),
    "Số CCCD": ("citizen_id", "cccd"),
    "Mã chi đoàn": ("branch", "branch"),
    "Ngày vào Đoàn": ("admitted_on", "date"),
    "Số thẻ đoàn": ("card_number", "text"),
    "Dân tộc": ("ethnicity", "text"),
    "Số điện thoại": ("phone", "phone"),
    "Tôn giáo": ("religion", "text"),
    "Nơi vào Đoàn": ("admitted_at", "text"),
    "Email": ("email", "email"),
    "Địa chỉ": ("address", "text"),
    "Trình độ học vấn": ("education_level", "text"),
    "Trình độ chuyên môn": ("qualification", "text"),
    "Lý luận chính trị": ("political_theory", "text"),
    "Nghề nghiệp": ("occupation", "text"),
    "Đảng viên": ("is_party_member", "bool"),
    "Ngày vào Đảng": ("party_joined_on", "date"),
    "Sinh hoạt tại chi đoàn từ": ("joined_branch_on", "date"),
}
MEMBER_REQUIRED = list(MEMBER_COLUMNS)[:9]
HEADER_OF = {name: header for header, (name, _) in MEMBER_COLUMNS.items()}
GENDERS = {"nam": Member.Gender.MALE, "nu": Member.Gender.FEMALE, "khac": Member.Gender.OTHER}
YES = {"co", "x", "1", "true", "dang vien", "la dang vien"}
NO = {"", "khong", "0", "false"}
MAX_LENGTHS = {f.name: f.max_length for f in Member._meta.fields if getattr(f, "max_length", None)}


def _parse_value(kind: str, raw):
    if kind == "date":
        return parse_date(raw)
    if kind == "cccd":
        return parse_text(raw, digits=12) or None
    if kind == "phone":
        text = parse_text(raw)
        return "0" + text if isinstance(raw, int | float) and len(text) == 9 else text
    if kind == "gender":
        folded = fold(parse_text(raw))
        if folded not in GENDERS:
            raise ValueError(f"“{raw or ''}” không phải giới tính (Nam, Nữ hoặc Khác).")
        return GENDERS[folded]
    if kind == "bool":
        folded = fold(parse_text(raw))
        if folded in YES | NO:
            return folded in YES
        raise ValueError(f"“{raw}” phải là “Có” hoặc “Không”.")
    if kind == "email":
        text = parse_text(raw)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValueError(f"“{text}” không phải là địa chỉ email.") from None
        return text
    return parse_text(raw)


@dataclass
class _MemberPlan:
    creates: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    branches: dict[int, Organization] = field(default_factory=dict)


class MemberImporter(XlsxImporter):
    kind = "members"
    label = "Đoàn viên"
    headers = MEMBER_REQUIRED
    optional_headers = [h for h in MEMBER_COLUMNS if h not in MEMBER_REQUIRED]

    def validate(self, rows, result: ImportResult) -> _MemberPlan:
        parsed = [(number, self._parse(number, record, result)) for number, record in rows]
        parsed = [(n, values) for n, values in parsed if values is not None]
        branches = self._branches({v["branch"] for _, v in parsed}, parsed, result)
        parsed = [(n, v) for n, v in parsed if v["branch"] in branches]
        self._no_duplicates_in_file(parsed, result)
        conflicts: list[int] = []
        matches = _existing_matches(parsed, branches, conflicts)
        result.errors.extend(
            RowError(n, "Số thẻ đoàn", "Số thẻ đoàn này thuộc về một đoàn viên khác với số CCCD của dòng.")
            for n in conflicts
        )
        parsed = [(n, v) for n, v in parsed if n not in set(conflicts)]
        plan = _MemberPlan(fields=[MEMBER_COLUMNS[h][0] for h in self.present], branches=branches)
        usable = {b.pk: b for b in branches.values()}
        moved_from = _branches_by_id({branch_id for _, branch_id in matches.values()} - set(usable))
        claimed: dict[int, int] = {}
        for number, values in parsed:
            branch = branches[values.pop("branch")]
            if number not in matches:
                plan.creates.append(_new_member(values, branch, self.user))
                continue
            pk, branch_id = matches[number]
            if pk in claimed:
                result.errors.append(RowError(number, "Họ và tên", f"Cùng một đoàn viên với dòng {claimed[pk]}."))
                continue
            current = usable.get(branch_id) or moved_from.get(branch_id)
            if current is not None and current.pk != branch.pk and not can_manage_members(self.user, current):
                result.errors.append(
                    RowError(
                        number,
                        "Số CCCD",
                        "Đoàn viên này đang sinh hoạt ở một chi đoàn ngoài phạm vi của bạn: "
                        "hãy đề nghị chuyển sinh hoạt thay vì nhập.",
                    )
                )
                continue
            claimed[pk] = number
            plan.updates.append(
                {**values, "id": pk, "branch_id": branch.pk, "updated_by_id": self.user.pk if self.user else None}
            )
        result.created, result.updated = len(plan.creates), len(plan.updates)
        return plan

    def _parse(self, number: int, record: dict, result: ImportResult) -> dict | None:
        values, errors = {}, []
        for header, raw in record.items():
            name, kind = MEMBER_COLUMNS[header]
            try:
                values[name] = _parse_value(kind, raw) if kind != "branch" else parse_text(raw).upper()
            except ValueError as exc:
                errors.append(RowError(number, header, str(exc)))
            else:
                limit = MAX_LENGTHS.get(name)
                if limit and isinstance(values[name], str) and len(values[name]) > limit:
                    errors.append(RowError(number, header, f"Dài quá {limit} ký tự."))
        for name in ("citizen_id", "card_number"):  # unique when present: blank means none
            if name in values:
                values[name] = values[name] or None
        if not values.get("branch") and "branch" in values:
            errors.append(RowError(number, "Mã chi đoàn", "Chưa nhập mã chi đoàn."))
        broken = {h for h in (e.column for e in errors)}
        for name, message in field_errors(values).items():
            header = HEADER_OF[name]
            if header not in broken and (header in record or name in ("full_name", "birth_date", "gender")):
                errors.append(RowError(number, header, message))
        result.errors.extend(errors)
        return None if errors else values

    def _branches(self, codes: set[str], parsed, result: ImportResult) -> dict[str, Organization]:
        """Every chi đoàn named in the file, in one query; a code outside the scope is a row error."""
        found = {o.code: o for o in Organization.objects.filter(code__in=codes).select_related("level")}
        usable = {}
        for code, org in found.items():
            if org.level.is_branch and org.is_active and can_manage_members(self.user, org):
                usable[code] = org
        for number, values in parsed:
            code = values["branch"]
            org = found.get(code)
            if code in usable:
                continue
            if org is None or not can_manage_members(self.user, org):
                message = f"Không có chi đoàn mã “{code}” trong phạm vi của bạn."
            elif not org.level.is_branch:
                message = f"“{code}” là {org.level.name}, không phải chi đoàn."
            else:
                message = f"Chi đoàn “{code}” đã giải thể hoặc hợp nhất."
            result.errors.append(RowError(number, "Mã chi đoàn", message))
        return usable

    def _no_duplicates_in_file(self, parsed, result: ImportResult) -> None:
        for name in ("citizen_id", "card_number"):
            seen: dict[str, int] = {}
            for number, values in parsed:
                value = values.get(name)
                if value and value in seen:
                    result.errors.append(RowError(number, HEADER_OF[name], f"“{value}” trùng với dòng {seen[value]}."))
                elif value:
                    seen[value] = number

    def write(self, plan: _MemberPlan, result: ImportResult) -> None:
        insert_members(plan.creates)
        update_members(plan.updates, [*plan.fields, "branch", "updated_by"])
        rebuild_counts(branch_member_counts())
        where = _common_ancestor(list(plan.branches.values()))
        if where is not None:
            audit.record(
                target=where,
                action="import_members",
                by=self.user,
                organization=where,
                to_state=f"{result.created} mới, {result.updated} cập nhật",
                reason=os.path.basename(str(self.options.get("filename") or "")),
            )


def _new_member(values: dict, branch: Organization, user) -> dict:
    """The field values of a new member, as ``insert_members`` takes them (no model instance:
    building 10⁵ instances costs more than the COPY itself)."""
    values = {k: v for k, v in values.items() if v is not None}
    values.setdefault("joined_branch_on", values.get("admitted_on") or date.today())
    for name in ("ethnicity", "religion"):
        if not values.get(name):
            values.pop(name, None)  # the model's default (Kinh, Không)
    return {
        **values,
        "branch_id": branch.pk,
        "status": Member.Status.ACTIVE,
        "updated_by_id": user.pk if user else None,
    }


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_matches(parsed, branches: dict[str, Organization], conflicts: list[int]) -> dict[int, tuple[int, int]]:
    """Row number -> (pk, branch id) of the member it updates: by CCCD, else card number, else
    name + birth date + chi đoàn (the issue's matching order). A few bulk queries of two
    columns each: no model instance is built, even for 10⁵ rows."""
    by_cid = _load_by("citizen_id", {v["citizen_id"] for _, v in parsed if v.get("citizen_id")})
    by_card = _load_by("card_number", {v["card_number"] for _, v in parsed if v.get("card_number")})
    anonymous = [(n, v) for n, v in parsed if not v.get("citizen_id") and not v.get("card_number")]
    by_name = {}
    branch_ids = {branches[v["branch"]].pk for _, v in anonymous}
    for chunk in _chunks(sorted(branch_ids), 1000):
        rows = Member.objects.filter(branch_id__in=chunk).values_list("name_folded", "birth_date", "branch_id", "pk")
        for name, birth, branch_id, pk in rows:
            by_name.setdefault((name, birth, branch_id), (pk, branch_id))
    matches = {}
    for number, values in parsed:
        found = by_cid.get(values.get("citizen_id")) or by_card.get(values.get("card_number"))
        other = by_card.get(values.get("card_number"))
        if found is not None and other is not None and other[0] != found[0]:
            conflicts.append(number)
            continue
        if found is None and not values.get("citizen_id") and not values.get("card_number"):
            key = (fold(values.get("full_name")), values.get("birth_date"), branches[values["branch"]].pk)
            found = by_name.get(key)
        if found is not None:
            matches[number] = found
    return matches


def _load_by(name: str, values: set[str]) -> dict[str, tuple[int, int]]:
    found = {}
    for chunk in _chunks(sorted(values)):
        for value, pk, branch_id in Member.objects.filter(**{f"{name}__in": chunk}).values_list(
            name, "pk", "branch_id"
        ):
            found[value] = (pk, branch_id)
    return found


def _branches_by_id(ids: set[int]) -> dict[int, Organization]:
    return {o.pk: o for o in Organization.objects.filter(pk__in=ids).select_related("level")}


def _common_ancestor(units: list[Organization]) -> Organization | None:
    if not units:
        return None
    prefix = os.path.commonprefix([u.path for u in units])
    step = Organization.steplen
    prefix = prefix[: len(prefix) // step * step]
    return Organization.objects.filter(path=prefix).first() if prefix else None


# ----------------------------------------------------------------------------------------------
# Units

UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên", "Loại hình"]


@dataclass
class _UnitRow:
    number: int
    code: str
    name: str
    level: Level
    kind: UnitKind | None
    parent_code: str


@dataclass
class _UnitPlan:
    creates: list[_UnitRow] = field(default_factory=list)
    updates: list[tuple[Organization, _UnitRow]] = field(default_factory=list)
    existing: dict[str, Organization] = field(default_factory=dict)


def _lookup(rows, *attrs) -> dict[str, object]:
    """Rows findable by code or by (diacritic-free) name, as people type either."""
    table = {}
    for row in rows:
        for attr in attrs:
            table[fold(getattr(row, attr))] = row
    return table


class OrganizationImporter(XlsxImporter):
    kind = "organizations"
    label = "Đơn vị"
    headers = UNIT_HEADERS

    def validate(self, rows, result: ImportResult) -> _UnitPlan:
        levels = _lookup(Level.objects.prefetch_related("allowed_parents"), "code", "name")
        kinds = _lookup(UnitKind.objects.all(), "code", "name")
        parsed = [r for r in (self._parse(n, rec, levels, kinds, result) for n, rec in rows) if r is not None]
        codes = {r.code for r in parsed} | {r.parent_code for r in parsed if r.parent_code}
        existing = {o.code: o for o in Organization.objects.filter(code__in=codes).select_related("level")}
        parents_of = _parents_of(existing.values())
        plan = _UnitPlan(existing=existing)
        in_file = {}
        for row in parsed:
            if row.code in in_file:
                result.errors.append(
                    RowError(row.number, "Mã đơn vị", f"“{row.code}” trùng với dòng {in_file[row.code].number}.")
                )
            else:
                in_file[row.code] = row
        for row in in_file.values():
            error = (
                self._check_update(row, existing[row.code], parents_of)
                if row.code in existing
                else self._check_create(row, existing, in_file)
            )
            if error:
                result.errors.append(RowError(row.number, error[0], error[1]))
            elif row.code in existing:
                plan.updates.append((existing[row.code], row))
            else:
                plan.creates.append(row)
        result.created, result.updated = len(plan.creates), len(plan.updates)
        return plan

    def _parse(self, number, record, levels, kinds, result) -> _UnitRow | None:
        code = parse_text(record.get("Mã đơn vị")).upper()
        name = parse_text(record.get("Tên đơn vị"))
        level = levels.get(fold(parse_text(record.get("Cấp"))))
        kind_text = parse_text(record.get("Loại hình"))
        kind = kinds.get(fold(kind_text)) if kind_text else None
        errors = []
        if not code:
            errors.append(("Mã đơn vị", "Chưa nhập mã đơn vị."))
        elif len(code) > 40:
            errors.append(("Mã đơn vị", "Mã đơn vị dài quá 40 ký tự."))
        if not name:
            errors.append(("Tên đơn vị", "Chưa nhập tên đơn vị."))
        if level is None:
            errors.append(("Cấp", f"Không có cấp “{record.get('Cấp') or ''}” (ví dụ: chi-doan, co-so, huyen, tinh)."))
        if kind_text and kind is None:
            errors.append(("Loại hình", f"Không có loại hình “{kind_text}”."))
        result.errors.extend(RowError(number, col, msg) for col, msg in errors)
        if errors:
            return None
        return _UnitRow(number, code, name, level, kind, parse_text(record.get("Mã đơn vị cấp trên")).upper())

    def _may_manage(self, parent: Organization | None) -> bool:
        if self.user is None:
            return True
        if parent is None:
            return self.user.is_superuser
        return can_manage_children(self.user, parent)

    def _check_update(self, row: _UnitRow, unit: Organization, parents_of) -> tuple[str, str] | None:
        parent = parents_of.get(unit.pk)
        if not self._may_manage(parent):
            return "Mã đơn vị", f"Đơn vị “{row.code}” nằm ngoài phạm vi quản lý của bạn."
        if unit.level_id != row.level.pk:
            return "Cấp", f"Đơn vị “{row.code}” đang là {unit.level.name}: không đổi cấp qua nhập tệp."
        if (parent.code if parent else "") != row.parent_code:
            return "Mã đơn vị cấp trên", (
                f"Đơn vị “{row.code}” đang trực thuộc “{parent.code if parent else ''}”: "
                "hãy dùng chức năng chuyển đơn vị."
            )
        return None

    def _check_create(self, row: _UnitRow, existing, in_file) -> tuple[str, str] | None:
        if not row.parent_code:
            if row.level.allowed_parents.all():
                return "Mã đơn vị cấp trên", f"Cấp “{row.level.name}” phải có đơn vị cấp trên."
            return (
                None if self._may_manage(None) else ("Mã đơn vị cấp trên", "Chỉ quản trị hệ thống tạo được đơn vị gốc.")
            )
        parent_level, anchor, seen = None, None, {row.code}
        code = row.parent_code
        while code:  # climb through units defined in the file to the first one already saved
            if code in seen:
                return "Mã đơn vị cấp trên", "Các đơn vị trong tệp trực thuộc lẫn nhau thành vòng."
            seen.add(code)
            if code in existing:
                anchor = existing[code]
                break
            if code not in in_file:
                return "Mã đơn vị cấp trên", f"Không có đơn vị mã “{code}” (trong hệ thống hoặc trong tệp)."
            parent_level = parent_level or in_file[code].level
            code = in_file[code].parent_code
        parent_level = parent_level or (anchor.level if anchor else None)
        if parent_level and parent_level not in row.level.allowed_parents.all():
            return "Cấp", f"Không thể đặt {row.level.name} trực thuộc {parent_level.name}."
        if anchor is not None and not anchor.is_active:
            return "Mã đơn vị cấp trên", f"Đơn vị “{anchor.code}” đã giải thể hoặc hợp nhất."
        if not self._may_manage(anchor):
            return "Mã đơn vị cấp trên", f"Đơn vị “{row.parent_code}” nằm ngoài phạm vi quản lý của bạn."
        return None

    def write(self, plan: _UnitPlan, result: ImportResult) -> None:
        paths = {code: unit.path for code, unit in plan.existing.items()}
        allocator, new_units, added = PathAllocator(), [], Counter()
        for row in _parents_first(plan.creates):
            parent_path = paths.get(row.parent_code, "")
            path = allocator.child_path(parent_path)
            paths[row.code] = path
            added[parent_path] += 1
            new_units.append(
                Organization(
                    path=path,
                    depth=len(path) // Organization.steplen,
                    numchild=0,
                    code=row.code,
                    name=row.name,
                    name_folded=fold(f"{row.name} {row.code}"),
                    level=row.level,
                    kind=row.kind,
                )
            )
        for unit in new_units:  # treebeard's child counts, kept without per-node queries
            unit.numchild = added.pop(unit.path, 0)
        for parent_path, n in added.items():
            Organization.objects.filter(path=parent_path).update(numchild=F("numchild") + n)
        Organization.objects.bulk_create(new_units, batch_size=2000)
        for unit, row in plan.updates:
            unit.name, unit.kind = row.name, row.kind
            unit.name_folded = fold(f"{row.name} {row.code}")
        Organization.objects.bulk_update([u for u, _ in plan.updates], ["name", "kind", "name_folded"], batch_size=2000)
        rebuild_counts(branch_member_counts())
        where = _common_ancestor(new_units + [u for u, _ in plan.updates])
        if where is not None:
            audit.record(
                target=where,
                action="import_units",
                by=self.user,
                organization=where,
                to_state=f"{result.created} mới, {result.updated} cập nhật",
            )


def _parents_of(units) -> dict[int, Organization]:
    step = Organization.steplen
    wanted = {u.path[:-step]: u.pk for u in units if u.depth > 1}
    found = Organization.objects.filter(path__in=list(wanted)).select_related("level")
    by_path = {o.path: o for o in found}
    return {pk: by_path[path] for path, pk in wanted.items() if path in by_path}


def _parents_first(rows: list[_UnitRow]) -> list[_UnitRow]:
    by_code = {r.code: r for r in rows}
    ordered, done = [], set()

    def visit(row):
        if row.code in done:
            return
        if row.parent_code in by_code:
            visit(by_code[row.parent_code])
        done.add(row.code)
        ordered.append(row)

    for row in rows:
        visit(row)
    return ordered


def register_all() -> None:
    register(MemberImporter)
    register(OrganizationImporter)


__all__ = ["MemberImporter", "OrganizationImporter", "MEMBER_COLUMNS", "UNIT_HEADERS", "register_all"]
