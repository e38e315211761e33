"""The Excel import contract shared by every kind of import (``import_xlsx KIND FILE``).

An importer reads the whole file, validates every row first and writes nothing unless every row
is valid (all-or-nothing), inside one transaction. Higher apps register their own kinds
(``evaluations`` registers "ratings") in their AppConfig.ready, so ``members`` never imports them.

STATUS: interface only; the members issue implements the engine (reading, header checks,
error list, the command and the upload page).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as the user sees it (header is row 1)
    column: str  # the Vietnamese header, e.g. "Số CCCD"; "" for a whole-row or file problem
    message: str  # Vietnamese, names what is wrong

    def __str__(self):
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """Base class: subclasses set ``kind``, ``label``, ``headers`` (required Vietnamese headers)
    and implement ``run``."""

    kind: str = ""
    label: str = ""
    headers: list[str] = []

    def __init__(self, *, user, **options):
        self.user, self.options = user, options

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
