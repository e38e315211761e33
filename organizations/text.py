"""Vietnamese text helpers shared by every app: diacritic folding and name collation."""

import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

# "đ" has no combining mark to strip: it is a letter of its own, folded by hand.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower-case text with Vietnamese marks removed: "Đoàn Khối" -> "doan khoi"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def vn_collated(field: str):
    """An order_by expression sorting Vietnamese names properly (ICU on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return Collate(F(field), "vi-VN-x-icu")
    return F(field)
