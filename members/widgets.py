"""django-import-export widgets for the way Vietnamese rosters are typed.

Each widget turns one spreadsheet cell into a model value (``clean``, raising ValueError with a
Vietnamese message naming the bad value, which import-export files under the cell's column) and
back (``render``, used by the exports, so an export re-imports cleanly)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from import_export import widgets

from organizations.text import clean_text, fold

from .xlsxreader import CellError

# A cell holding the error a failed formula left (#N/A, #REF!) is refused at its column.
ERROR_CELL = "Ô có lỗi công thức “{value}”: hãy nhập giá trị thay cho công thức."
EXACT_FLOAT = 2**53  # beyond this a float holds no exact integer: it reads as Excel shows it (1e+20)


def parse_text(value, *, digits: int = 0) -> str:
    """Text of a cell; a number typed into a text column loses Excel's float form (and, for
    fixed-length codes such as CCCD, the leading zeros Excel dropped are restored); text is
    normalised as every form's is (``organizations.text.clean_text``). An error cell left by a
    failed formula is refused, never read as text."""
    if value is None:
        return ""
    if isinstance(value, CellError):
        raise ValueError(ERROR_CELL.format(value=value))
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_FLOAT:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and digits:
        return str(value).zfill(digits)
    return clean_text(str(value))  # as a form keeps it: NFC, no invisible characters, spaces collapsed


def peek_text(value) -> str:
    """A cell's text for looking things up before its row is checked (matching, loading what the
    file refers to): a cell that does not parse reads as blank here; its widget reports it."""
    try:
        return parse_text(value)
    except ValueError:
        return ""


def parse_date(value) -> date | None:
    """A date cell, or text written dd/mm/yyyy (also dd-mm-yyyy and yyyy-mm-dd)."""
    if isinstance(value, CellError):
        raise ValueError(ERROR_CELL.format(value=value))
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S"):
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    # parse_text: a number shows as Excel shows it (3000000, not 3000000.0)
    raise ValueError(f"“{parse_text(value)}” không phải là ngày (viết theo dạng dd/mm/yyyy).")


def _same(text: str, changed: str) -> str:
    """``text`` itself when a change left it equal (an import holds 10⁵ codes: not twice)."""
    return text if changed == text else changed


class TextWidget(widgets.Widget):
    """Plain text, trimmed; ``digits`` restores leading zeros of numeric codes, ``upper`` and
    ``compact`` (no spaces) for codes. An empty cell is None (the saved value or the model's
    default is kept), or an error when ``empty_message`` says the column is required."""

    def __init__(self, *, max_length=None, digits=0, upper=False, compact=False, empty_message=None):
        super().__init__(coerce_to_string=True)
        self.max_length, self.digits, self.upper, self.compact = max_length, digits, upper, compact
        self.empty_message = empty_message

    def clean(self, value, row=None, **kwargs):
        text = parse_text(value, digits=self.digits)
        if self.upper:
            text = _same(text, text.upper())
        if self.compact:
            text = _same(text, "".join(text.split()))
        if not text:
            if self.empty_message:
                raise ValueError(self.empty_message)
            return None
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"Dài quá {self.max_length} ký tự.")
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PhoneWidget(TextWidget):
    """A phone typed as a number loses its leading 0 in Excel: 912345678 → 0912345678."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        return "0" + text if isinstance(value, int | float) and len(text) == 9 else text


class EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValueError(f"“{text}” không phải là địa chỉ email.") from None
        return text


class DateWidget(widgets.Widget):
    def __init__(self, *, empty_message: str | None = None):
        super().__init__(coerce_to_string=True)
        self.empty_message = empty_message

    def clean(self, value, row=None, **kwargs):
        day = parse_date(value)
        if day is None and self.empty_message:
            raise ValueError(self.empty_message)
        return day

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""  # what ``clean`` reads back


class WordsWidget(widgets.Widget):
    """One of a few words, typed with or without diacritics ("Nữ", "nu", "NỮ"): ``words`` maps the
    folded word to the value; ``labels`` maps a value back to the word an export writes."""

    def __init__(self, words: dict, labels: dict, message: str, *, required: bool = True):
        super().__init__(coerce_to_string=True)
        self.words, self.labels, self.message, self.required = words, labels, message, required

    def clean(self, value, row=None, **kwargs):
        folded = fold(parse_text(value))
        if not folded and not self.required:
            return None  # keeps the saved value (or the model's default)
        if folded not in self.words:
            raise ValueError(self.message.format(value=parse_text(value)))
        return self.words[folded]

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, "")


YES = {"co", "x", "1", "true", "dang vien", "la dang vien"}
NO = {"khong", "0", "false"}


def yes_no_widget() -> WordsWidget:
    words = dict.fromkeys(YES, True) | dict.fromkeys(NO, False)
    return WordsWidget(words, {True: "Có", False: "Không"}, "“{value}” phải là “Có” hoặc “Không”.", required=False)


class LookupWidget(widgets.Widget):
    """A foreign key named by code (or name), resolved from a table the resource loads once for the
    whole file in ``before_import`` — never a query per row. ``table`` maps the folded text to
    the object, or to a Vietnamese message saying why that value cannot be used here."""

    def __init__(self, *, empty_message: str | None = None, render_attr: str = "code"):
        super().__init__(coerce_to_string=True)
        self.table: dict = {}
        self.empty_message, self.render_attr = empty_message, render_attr
        self.unknown = "Không có “{value}”."

    def clean(self, value, row=None, **kwargs):
        text = parse_text(value)
        if not text:
            if self.empty_message:
                raise ValueError(self.empty_message)
            return None
        found = self.table.get(fold(text))
        if found is None:
            # not str.format: ``unknown`` may list words an administrator typed, braces and all
            raise ValueError(self.unknown.replace("{value}", text))
        if isinstance(found, str):  # known, but refused here (outside scope, dissolved…)
            raise ValueError(found)
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.render_attr))
