"""The django-import-export resource behind ``import_xlsx organizations``: units of the tree.

A row names its unit by code and its parent by code; parents may be earlier or later rows of the
same file. New units get their tree paths allocated in memory and go in with one bulk insert;
an existing unit may be renamed or change kind, but moving or changing level is refused (those
are tree operations with their own audited services)."""

from collections import Counter

from django.db.models import F
from import_export.fields import Field

from organizations.models import Level, Organization, UnitKind
from organizations.scoping import can_manage_children
from organizations.services import PathAllocator
from organizations.text import fold

from .importing import ImportResource
from .resources import finish_tree_import, parse_code
from .widgets import LookupWidget, TextWidget, peek_text
from .xlsxreader import ROW


def _named_by_officers(widget: LookupWidget, column: str, queryset) -> str:
    """Points ``widget`` at the rows (by code, name or alias, folded; one query) and returns the
    words an error offers for ``column``: the officers' words, never the internal codes."""
    rows = list(queryset)
    widget.table = queryset.model.lookup_table(rows)
    accepted = ", ".join(word for row in rows for word in row.words())
    widget.unknown = f"{column} “{{value}}” không rõ: dùng một trong {accepted}."
    return accepted


class UnitResource(ImportResource):
    code = Field(attribute="code", column_name="Mã đơn vị", widget=TextWidget(max_length=40, upper=True))
    name = Field(attribute="name", column_name="Tên đơn vị", widget=TextWidget(max_length=255))
    level = Field(attribute="level", column_name="Cấp", widget=LookupWidget(render_attr="code"))
    parent_code = Field(attribute="parent_code", column_name="Mã đơn vị cấp trên", widget=TextWidget(upper=True))
    # a blank Loại hình keeps the saved kind (an export of units leaves it out where unknown)
    kind = Field(
        attribute="kind", column_name="Loại hình", widget=LookupWidget(render_attr="name"), saves_null_values=False
    )

    class Meta:
        model = Organization
        fields = ("code", "name", "level", "parent_code", "kind")

    def prepare(self, dataset) -> None:
        levels = self.fields["level"].widget
        self.level_words = _named_by_officers(levels, "Cấp", Level.objects.prefetch_related("allowed_parents"))
        _named_by_officers(self.fields["kind"].widget, "Loại hình", UnitKind.objects.all())
        records = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        self.in_file: dict[str, dict] = {}  # code -> its first row: number, level, parent code
        self.repeated: dict[int, int] = {}
        for record in records:
            code = parse_code(record.get("Mã đơn vị"))
            level = levels.table.get(fold(peek_text(record.get("Cấp"))))
            if code in self.in_file:
                self.repeated[record[ROW]] = self.in_file[code]["number"]
            elif code:
                self.in_file[code] = {
                    "number": record[ROW],
                    "level": level,
                    "parent": parse_code(record.get("Mã đơn vị cấp trên")),
                }
        codes = set(self.in_file) | {r["parent"] for r in self.in_file.values() if r["parent"]}
        self.saved = {o.code: o for o in Organization.objects.filter(code__in=codes).select_related("level")}
        self.saved_levels = {code: unit.level for code, unit in self.saved.items()}  # rows overwrite .level
        self.parents = _parents_of(self.saved.values())
        self.touched: list[Organization] = []
        self.counts: list[tuple[str, int, int, int]] = []

    def existing(self, row):
        return self.saved.get(parse_code(row.get("Mã đơn vị")))

    def check_row(self, unit, broken: set[str]) -> list[tuple[str, str]]:
        errors = [(name, message) for name, message in self._missing(unit) if name not in broken]
        if errors or broken:
            return errors
        if self.number in self.repeated:
            return [("code", f"“{unit.code}” trùng với dòng {self.repeated[self.number]}.")]
        error = self._check_update(unit) if unit.pk else self._check_create(unit)
        return [error] if error else []

    def _missing(self, unit) -> list[tuple[str, str]]:
        missing = [("code", "Chưa nhập mã đơn vị."), ("name", "Chưa nhập tên đơn vị.")]
        missing.append(("level", f"Chưa nhập cấp (dùng một trong {self.level_words})."))
        return [
            (name, message) for name, message in missing if not getattr(unit, name + ("_id" if name == "level" else ""))
        ]

    def _may_manage(self, parent: Organization | None) -> bool:
        if self.user is None:
            return True
        if parent is None:
            return self.user.is_superuser
        return can_manage_children(self.user, parent)

    def _check_update(self, unit: Organization) -> tuple[str, str] | None:
        parent = self.parents.get(unit.pk)
        saved_level = self.saved_levels[unit.code]
        if not self._may_manage(parent):
            return "code", f"Đơn vị “{unit.code}” nằm ngoài phạm vi quản lý của bạn."
        if unit.level_id != saved_level.pk:
            return "level", f"Đơn vị “{unit.code}” đang là {saved_level.name}: không đổi cấp qua nhập tệp."
        if (parent.code if parent else "") != (unit.parent_code or ""):
            return "parent_code", (
                f"Đơn vị “{unit.code}” đang trực thuộc “{parent.code if parent else ''}”: "
                "hãy dùng chức năng chuyển đơn vị."
            )
        return None

    def _check_create(self, unit: Organization) -> tuple[str, str] | None:
        if not unit.parent_code:
            if unit.level.allowed_parents.all():
                return "parent_code", f"Cấp “{unit.level.name}” phải có đơn vị cấp trên."
            return None if self._may_manage(None) else ("parent_code", "Chỉ quản trị hệ thống tạo được đơn vị gốc.")
        parent_level, anchor, seen, code = None, None, {unit.code}, unit.parent_code
        while code:  # climb through units defined in the file to the first one already saved
            if code in seen:
                return "parent_code", "Các đơn vị trong tệp trực thuộc lẫn nhau thành vòng."
            seen.add(code)
            if code in self.saved:
                anchor = self.saved[code]
                break
            if code not in self.in_file:
                return "parent_code", f"Không có đơn vị mã “{code}” (trong hệ thống hoặc trong tệp)."
            parent_level = parent_level or self.in_file[code]["level"]
            code = self.in_file[code]["parent"]
        parent_level = parent_level or (anchor.level if anchor else None)
        if parent_level and parent_level not in unit.level.allowed_parents.all():
            return "level", f"Không thể đặt {unit.level.name} trực thuộc {parent_level.name}."
        if anchor is not None and not anchor.is_active:
            return "parent_code", f"Đơn vị “{anchor.code}” đã giải thể hoặc hợp nhất."
        if not self._may_manage(anchor):
            return "parent_code", f"Đơn vị “{unit.parent_code}” nằm ngoài phạm vi quản lý của bạn."
        return None

    def before_save_instance(self, unit, row, **kwargs):
        unit.name_folded = fold(f"{unit.name} {unit.code}")

    def write_created(self, units: list[Organization]) -> None:
        paths = {code: unit.path for code, unit in self.saved.items()}
        allocator, added = PathAllocator(), Counter()
        for unit in _parents_first(units):
            parent_path = paths.get(unit.parent_code, "")
            unit.path = paths[unit.code] = allocator.child_path(parent_path)
            unit.depth = len(unit.path) // Organization.steplen
            added[parent_path] += 1
        for unit in units:  # treebeard's child counts, kept without per-node queries
            unit.numchild = added.pop(unit.path, 0)
        for parent_path, n in added.items():
            Organization.objects.filter(path=parent_path).update(numchild=F("numchild") + n)
        Organization.objects.bulk_create(units, batch_size=2000)
        self.touched += units
        for unit in units:  # the summary counts: a unit more above it, a chi đoàn more for it and above
            self.counts.append((unit.path[: -Organization.steplen], 0, 1, 0))
            if unit.level.is_branch:
                self.counts.append((unit.path, 0, 0, 1))

    def write_updated(self, units: list[Organization]) -> None:
        Organization.objects.bulk_update(units, ["name", "kind", "name_folded"], batch_size=2000)
        self.touched += units

    def finish(self, result) -> None:
        finish_tree_import(self, result, self.touched, self.counts, action="import_units")


def _parents_of(units) -> dict[int, Organization]:
    step = Organization.steplen
    wanted = {u.path[:-step]: u.pk for u in units if u.depth > 1}
    by_path = {o.path: o for o in Organization.objects.filter(path__in=list(wanted)).select_related("level")}
    return {pk: by_path[path] for path, pk in wanted.items() if path in by_path}


def _parents_first(units: list[Organization]) -> list[Organization]:
    by_code = {u.code: u for u in units}
    ordered, done = [], set()

    def visit(unit):
        if unit.code in done:
            return
        if unit.parent_code in by_code:
            visit(by_code[unit.parent_code])
        done.add(unit.code)
        ordered.append(unit)

    for unit in units:
        visit(unit)
    return ordered
