"""Vietnamese text helpers shared by every app: normalising text on the way in, diacritic
folding and name collation."""

import re
import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

# Characters that print nothing: format characters (zero-width space U+200B, joiners, BOM, soft
# hyphen, direction marks: Unicode category Cf), controls other than line breaks and tabs (Cc),
# surrogates and private use (Cs, Co). One compiled class, so every imported cell pays one C-level
# pass (tests/organizations/test_text.py checks it against unicodedata for every code point).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ud800-\uf8ff\ufeff\ufff9-\ufffb\U000110bd"
    "\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """Text as it is kept: NFC (a Mac's decomposed "ọ" is one character), invisible characters
    removed, runs of spaces collapsed and the ends trimmed; ``multiline`` keeps line breaks (one
    blank line at most), each line collapsed. "" when nothing visible is left."""
    if not text:
        return ""
    visible = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    if not multiline:
        return " ".join(visible.split())
    lines = [" ".join(line.split()) for line in visible.splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept).strip()


def is_blank(text: str | None) -> bool:
    """Nothing visible: empty, spaces, or only zero-width and other invisible characters. Every
    required reason (return, reopen, change of level…) is refused when blank."""
    return not clean_text(text)


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
