"""The registry of report kinds: kind -> (label, dotted path of its builder).

Builders live in the app that owns the data and are resolved lazily, by dotted path, so that an
app that has not shipped its builder yet (or was removed) only hides its kind instead of breaking
the import of the reports app (DESIGN.md: nothing imports reports; reports reads every app)."""

import logging
from collections.abc import Callable
from functools import cache

from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

KINDS: dict[str, tuple[str, str]] = {
    "ratings": ("Xếp loại chất lượng tổ chức Đoàn và đoàn viên", "reports.builders.ratings.build"),
    "membership": ("Thống kê đoàn viên", "reports.builders.membership.build"),
    "recognition": ("Đoàn cơ sở “3 chủ động”", "evaluations.recognition.reporting.build"),
    "fieldwork": ("Cán bộ đi cơ sở “1+2”", "fieldwork.reporting.build"),
}


@cache
def _resolve(path: str) -> Callable | None:
    try:
        return import_string(path)
    except ImportError as exc:  # the owning app has no builder (yet): the kind is hidden
        log.info("report builder %s unavailable: %s", path, exc)
        return None


def builder(kind: str) -> Callable | None:
    """The builder function of ``kind``, or None when the kind is unknown or unavailable."""
    entry = KINDS.get(kind)
    return _resolve(entry[1]) if entry else None


def label(kind: str) -> str:
    entry = KINDS.get(kind)
    return entry[0] if entry else kind


def available() -> list[tuple[str, str]]:
    """(kind, label) of every kind whose builder can be imported, in registry order."""
    return [(kind, lbl) for kind, (lbl, _) in KINDS.items() if builder(kind) is not None]
