"""The Excel import contract shared by every kind of import (``import_xlsx KIND FILE``, the page).

An importer reads the whole file, validates every row first and writes nothing unless every row
is valid (all-or-nothing), inside one transaction. Higher apps register their own kinds
(``evaluations`` registers "ratings") in their AppConfig.ready, so ``members`` never imports them.

django-import-export is the engine underneath: each kind is an ``ImportResource`` (a
``ModelResource`` whose widgets read Vietnamese cells) run by ``ResourceImporter``. The resource
runs import-export's bulk path with these choices, all for 10⁵-row files:

- everything a row refers to is loaded once for the whole file in ``before_import`` (foreign keys
  and existing rows, in a few bulk queries), so no row costs a query;
- rows are only collected while they are checked (``batch_size=None``); the kind's ``write_*``
  hooks run once, at the end, and only if no row has an error and it is not a dry run, so a
  rejected file (or a preview) never writes and rolls back;
- the writes themselves are batched by the kind (COPY on PostgreSQL for members);
- no diff, no per-row HTML: the preview lists counts and errors;
- a kind may be ``batched`` (members): the same resource checks the file column by column in
  ``check_rows`` instead of import-export's per-row loop, and files the same result.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources, widgets
from import_export.fields import NOT_PROVIDED
from import_export.results import Result, RowResult

from .widgets import parse_date, parse_text  # noqa: F401  (re-exported for the importers)
from .xlsxreader import ROW, FileProblem, read_dataset

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as the user sees it (header is row 1)
    column: str  # the Vietnamese header, e.g. "Số CCCD"; "" for a whole-row or file problem
    message: str  # Vietnamese, names what is wrong

    def __str__(self):
        if self.row <= 0:  # a problem with the file itself, not one of its rows
            return f"Tệp: {self.message}"
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    unkept: int = 0  # errors counted but not kept: those of the rows past the first KEEP_INVALID in error

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.unkept

    @property
    def ok(self) -> bool:
        return not self.error_count


class ImportCancelled(BaseException):  # noqa: N818  (a stop, not an error)
    """Raised by a ``progress`` callback to stop an import whose job was discarded or expired.

    A BaseException, so that import-export's per-row ``except Exception`` does not file it as a
    row's error and carry on: the import stops at once and its transaction rolls back."""


class Importer:
    """Base class: subclasses set ``kind``, ``label``, ``headers`` (required Vietnamese headers)
    and implement ``run``. ``progress(done, total)``, when given, is called now and then while
    rows are read and checked (the page's import job shows it); it may raise ``ImportCancelled``."""

    kind: str = ""
    label: str = ""
    headers: list[str] = []
    optional_headers: list[str] = []
    example: dict[str, str] = {}  # header -> the cell of the template's example row

    @classmethod
    def all_headers(cls) -> list[str]:
        """Every column the kind reads: the required ones, then the optional ones."""
        return [*cls.headers, *cls.optional_headers]

    @classmethod
    def choices(cls) -> dict[str, list[str]]:
        """Header -> the words its cells accept, for the template's drop-downs (none by default)."""
        return {}

    def __init__(self, *, user, progress: Callable[[int, int], None] | None = None, **options):
        self.user, self.progress, self.options = user, progress, options

    def run(self, file, *, dry_run: bool = False) -> ImportResult:  # file: path or file object
        raise NotImplementedError


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _REGISTRY[importer.kind] = importer
    return importer


def get_importer(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise KeyError(f"Không có loại nhập “{kind}”. Các loại: {', '.join(sorted(_REGISTRY))}.") from None


def kinds() -> list[str]:
    return sorted(_REGISTRY)


class CountingResult(Result):
    """import-export's Result without a RowResult kept per valid row: at 10⁵ rows those cost
    memory and nothing reads them (the counts are kept in ``totals``, errors in their own lists).

    Rows in error are kept whole only up to ``KEEP_INVALID`` (the page shows the first 10⁴
    errors); past it their messages are only counted: 200,000 rows all in error (a wrong chi
    đoàn code) kept whole took 1.3 GB (bench/bad_files.py)."""

    KEEP_INVALID = 10_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unkept_errors = 0

    def append_row_result(self, row_result):
        pass

    def append_invalid_row(self, number, row, validation_error):
        if len(self.invalid_rows) < self.KEEP_INVALID:
            super().append_invalid_row(number, row, validation_error)
        else:
            self.unkept_errors += len(validation_error.messages)

    def has_errors(self):
        return bool(self.base_errors or self.error_rows)


CACHED_CELLS = 100_000  # distinct cells a column remembers the outcome of (bounded, whatever the file)


def clean_column(widget, cells: list) -> tuple[list, dict[int, str]]:
    """A column's cells as its widget cleans them, each distinct cell once (a file of 10⁵ rows
    holds a few chi đoàn codes, days and words many times): (values, {row index: the widget's
    Vietnamese message}); a cell in error has None among the values."""
    values, errors, seen = [], {}, {}
    for index, cell in enumerate(cells):
        key = (cell.__class__, cell)  # 1, 1.0 and True are equal keys but not equal cells
        outcome = seen.get(key)
        if outcome is None:
            try:
                outcome = (widget.clean(cell), None)
            except ValueError as exc:
                outcome = (None, str(exc))
            if len(seen) < CACHED_CELLS:
                seen[key] = outcome
        values.append(outcome[0])
        if outcome[1] is not None:
            errors[index] = outcome[1]
    return values, errors


class ImportResource(resources.ModelResource):
    """A django-import-export resource checking a whole file before anything is written.

    Subclasses declare their fields (Vietnamese ``column_name``, widgets from ``members.widgets``),
    load what rows refer to in ``prepare``, add cross-row rules in ``check_row`` and write in
    ``write_created`` / ``write_updated`` / ``finish`` (called only for a clean, real import).

    A kind with ``batched = True`` checks the file itself in ``check_rows`` (column by column,
    then each row on plain values) instead of import-export's loop of a model instance, widgets
    and hooks per row, which was most of a 10⁵-row members import (cProfile, issue 13); the
    declared fields and widgets, ``prepare``, the writes and the result are the same."""

    PROGRESS_EVERY = 2000
    batched = False

    class Meta:
        use_bulk = True
        batch_size = None  # collect every row; write once, after the last row is checked
        skip_diff = True
        skip_html_diff = True
        clean_model_instances = False  # the kinds check their own rules, without a query a row
        store_instance = False

    def __init__(self, *, user=None, options: dict | None = None, progress=None):
        super().__init__()
        self.user, self.options, self.progress = user, options or {}, progress
        self.present: set[str] = set()
        self.import_fields: list | None = None
        self.setters: tuple | None = None
        self.row: dict = {}
        self.number = 0
        self.total = 0

    # -- import-export hooks ------------------------------------------------------------------
    def get_result_class(self):
        return CountingResult

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        if not self.batched:
            return super().import_data_inner(
                dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
            )
        result = self.get_result_class()()
        result.total_rows = len(dataset)
        try:  # import_data's transaction holds all of it; a problem here is the file's, not a row's
            self.before_import(dataset, **kwargs)
            self.check_rows(dataset, result)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
            return result
        self.bulk_create(using_transactions, dry_run, raise_errors, result=result)
        self.bulk_update(using_transactions, dry_run, raise_errors, result=result)
        try:
            self.after_import(dataset, result, dry_run=dry_run, **kwargs)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        return result

    def file_row(self, result, index: int, number: int, errors: dict[str, list[str]], kind: str) -> None:
        """A checked row in the result as import-export's loop files it: its errors (``number``
        is the spreadsheet's row, ``index`` its place in the file), else counted as ``kind``;
        and the progress now and then."""
        if errors:
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
            result.append_invalid_row(index + 1, {ROW: number}, ValidationError(errors))
        else:
            result.totals[kind] += 1
        if self.progress and (index + 1) % self.PROGRESS_EVERY == 0:
            self.progress(index + 1, self.total)

    def file_failed_row(self, result, index: int, exc: Exception) -> None:
        """A row whose check raised: as import-export's loop files it (``row_errors`` logs it)."""
        result.totals[RowResult.IMPORT_TYPE_ERROR] += 1
        result.append_error_row(index + 1, {}, [self.get_error_result_class()(exc, number=index + 1)])

    def before_import(self, dataset, **kwargs):
        self.present = set(dataset.headers) - {ROW}
        self.import_fields = None
        self.total = len(dataset)
        if self.progress:  # the file is read: its size is known before the rows are checked
            self.progress(0, self.total)
        self.prepare(dataset)

    def before_import_row(self, row, **kwargs):
        self.row, self.number = row, int(row[ROW])

    def get_instance(self, instance_loader, row):
        return self.existing(row)  # from what ``prepare`` loaded: no query

    def get_import_fields(self):
        """The fields of the file's columns only (an absent optional column leaves the value as
        is), worked out once per file: import-export asks again for every row."""
        if not self.present:
            return super().get_import_fields()
        if self.import_fields is None:
            self.import_fields = [f for f in super().get_import_fields() if f.column_name in self.present]
        return self.import_fields

    def import_instance(self, instance, row, **kwargs):
        """import-export's, less its layers per cell (Field.save → Field.clean → the widget), a
        fifth of a 10⁵-row import: a plain attribute without a default takes its widget's value
        directly, as Field.save would set it; any other field goes through import-export."""
        errors = {}
        for declared, direct in self._setters():
            try:
                if not direct:
                    self.import_field(declared, instance, row, **kwargs)
                    continue
                value = declared.widget.clean(row[declared.column_name], row=row)
                if value is not None or declared.saves_null_values:
                    setattr(instance, declared.attribute, value)
            except ValueError as exc:
                errors[declared.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def _setters(self) -> list:
        if self.setters is None or self.setters[0] is not self.get_import_fields():
            fields = self.get_import_fields()
            pairs = [
                (f, f.attribute and "__" not in f.attribute and f.default is NOT_PROVIDED and not f.readonly)
                for f in fields
                if not isinstance(f.widget, widgets.ManyToManyWidget)
            ]
            self.setters = (fields, pairs)
        return self.setters[1]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = {name: list(ValidationError(e).messages) for name, e in (import_validation_errors or {}).items()}
        for name, message in self.check_row(instance, broken=set(errors)):
            errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress and kwargs.get("row_number", 0) % self.PROGRESS_EVERY == 0:
            self.progress(kwargs["row_number"], self.total)

    def save_instance(self, instance, is_create, row, **kwargs):
        # import-export's bulk path, collecting what ``pack`` keeps of each row rather than the
        # instance: 10⁵ model instances held until the last row is checked cost hundreds of MB.
        self.before_save_instance(instance, row, **kwargs)
        (self.create_instances if is_create else self.update_instances).append(self.pack(instance, is_create))
        self.after_save_instance(instance, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and self._writes(dry_run, result):
            self.write_created(self.create_instances)
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and self._writes(dry_run, result):
            self.write_updated(self.update_instances)
        self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        # Not ModelResource's (it resets sequences after explicit ids; these imports never set ids).
        if self._writes(kwargs.get("dry_run", False), result):
            self.finish(result)
        if self.progress:
            self.progress(self.total, self.total)

    @staticmethod
    def _writes(dry_run: bool, result) -> bool:
        return not dry_run and not (result.has_errors() or result.has_validation_errors())

    # -- what each kind provides ----------------------------------------------------------------
    def prepare(self, dataset) -> None:
        """Load everything the rows refer to, in a few queries for the whole file."""

    def check_rows(self, dataset, result) -> None:
        """(``batched`` kinds) Check every row, ``file_row`` each, and keep what the writes need
        of the valid ones in ``create_instances`` / ``update_instances``."""
        raise NotImplementedError

    def existing(self, row):
        """The saved object this row updates, or None for a new one."""
        return None

    def check_row(self, instance, broken: set[str]) -> list[tuple[str, str]]:
        """(field name, message) for each rule the row breaks beyond its cells' own parsing;
        ``broken`` names the fields whose cells already failed."""
        return []

    def pack(self, instance, is_create: bool):
        """What the writes need of a checked row (by default the instance itself)."""
        return instance

    def write_created(self, instances: list) -> None:
        raise NotImplementedError

    def write_updated(self, instances: list) -> None:
        raise NotImplementedError

    def finish(self, result) -> None:
        """After the writes, in the same transaction (summary counts, the audit entry)."""

    # -- reporting --------------------------------------------------------------------------------
    def column_of(self, name: str) -> str:
        """The header of a field, named as import-export files its errors (by attribute)."""
        for field_name, declared in self.fields.items():
            if name in (declared.attribute, field_name):
                return declared.column_name
        return ""

    def row_errors(self, outcome, dataset) -> list[RowError]:
        """import-export's per-row results as RowErrors naming the spreadsheet row and column."""
        numbers = dataset[ROW]
        errors = []
        for failed in outcome.base_errors:  # the file as a whole (loading what it refers to) failed
            logger.error("import %s failed:\n%s", type(self).__name__, failed.traceback)
            errors.append(
                RowError(0, "", "Lỗi hệ thống khi nhập; không có dữ liệu nào được ghi. Hãy báo quản trị hệ thống.")
            )
        for invalid in outcome.invalid_rows:
            number = numbers[invalid.number - 1]
            for name, messages in invalid.error_dict.items():
                column = "" if name == NON_FIELD_ERRORS else self.column_of(name)
                errors.extend(RowError(number, column, str(m)) for m in messages)
        for failed in outcome.error_rows:  # an unexpected exception: logged, never shown raw
            number = numbers[failed.number - 1]
            logger.error("import %s, row %s failed:\n%s", type(self).__name__, number, failed.errors[0].traceback)
            errors.append(RowError(number, "", "Không đọc được dòng này (lỗi không xác định)."))
        return sorted(errors, key=lambda e: e.row)


class ResourceImporter(Importer):
    """Read → import-export checks every row → the resource writes all in one transaction, or nothing."""

    resource_class: type[ImportResource]

    @classmethod
    def choices(cls) -> dict[str, list[str]]:
        """The word columns of the resource (Giới tính, Xếp loại, …): the words an export writes,
        which every import reads back."""
        from .widgets import WordsWidget

        return {
            f.column_name: list(dict.fromkeys(str(word) for word in f.widget.labels.values()))
            for f in cls.resource_class().get_import_fields()
            if isinstance(f.widget, WordsWidget) and not f.readonly
        }

    def run(self, file, *, dry_run: bool = False) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        try:
            dataset = read_dataset(file, self.headers, self.optional_headers, progress=self.progress)
        except FileProblem as exc:
            result.errors.append(RowError(exc.row, exc.column, str(exc)))
            return result
        resource = self.resource_class(user=self.user, options=self.options, progress=self.progress)
        outcome = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )
        result.errors, result.unkept = resource.row_errors(outcome, dataset), outcome.unkept_errors
        result.created = outcome.totals[RowResult.IMPORT_TYPE_NEW]
        result.updated = outcome.totals[RowResult.IMPORT_TYPE_UPDATE]
        return result
