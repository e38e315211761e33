"""Vietnamese text helpers shared by every app: normalising text on the way in, diacritic
folding and name collation."""

import re
import unicodedata

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
    if not multiline and text.isascii() and text.isprintable():
        return _collapsed(text)  # no control character, nothing to compose: the common cell
    visible = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    if not multiline:
        return _collapsed(visible)
    lines = [" ".join(line.split()) for line in visible.splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]
    return "\n".join(kept).strip()


def _collapsed(text: str) -> str:
    """Runs of spaces collapsed, ends trimmed; the same object when nothing changes (an import
    keeps 10⁵ names: a copy of each would be held beside the original)."""
    joined = " ".join(text.split())
    return text if joined == text else joined


def is_blank(text: str | None) -> bool:
    """Nothing visible: empty, spaces, or only zero-width and other invisible characters. Every
    required reason (return, reopen, change of level…) is refused when blank."""
    return not clean_text(text)


# "đ" has no combining mark to strip: it is a letter of its own, folded by hand.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


class _Unmarked(dict):
    """Each character -> itself without its marks (its NFD less the combining characters; "" for a
    mark itself), worked out the first time it is met. Per character is exact: NFD only reorders
    combining marks, and they are all dropped. str.translate looks a character up in C."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFD", chr(code).translate(_EXTRA))
        self[code] = stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return stripped


_UNMARKED = _Unmarked()


def fold(text: str | None) -> str:
    """Lower-case text with Vietnamese marks removed: "Đoàn Khối" -> "doan khoi". One C-level
    translate a string (an import folds each of 10⁵ names; per character in Python it was a tenth
    of the import)."""
    if not text:
        return ""
    if not text.isascii():
        text = text.translate(_UNMARKED)
    return " ".join(text.lower().split())


def fold_slowly(text: str | None) -> str:
    """``fold`` as its definition reads, a character at a time (tests/organizations compare them)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def vn_collated(field: str):
    """An order_by expression sorting Vietnamese names naturally, on both databases."""
    from .collation import vn_order  # collation imports this module's vn_sort_key

    return vn_order(field)


# Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …): the letter-forming marks
# (breve, circumflex, horn) make new letters, ranked right after their base; the tone marks only
# break ties, in dictionary order (none, huyền, hỏi, ngã, sắc, nặng), as ICU's "vi" collation does.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # ă, â/ê/ô, ơ/ư
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_NUMBER = re.compile(r"(\d+)")


def _letters(text: str) -> tuple[tuple, tuple]:
    """(letters, tones) of a run of text: each letter as (base, letter mark), đ right after d."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[ch])
        elif ch in _TONE_MARKS:
            tones[-1:] = [_TONE_MARKS[ch]]
        elif not unicodedata.combining(ch):
            letters.append(("d", 1) if ch == "đ" else (ch, 0))
            tones.append(0)
    return tuple(letters), tuple(tones)


def vn_sort_key(text: str | None) -> tuple:
    """A sort key putting names in Vietnamese order with numbers in natural order: "Đoàn" after
    "Dương" and before "Em", "Chi đoàn số 2" before "Chi đoàn số 10". Pure Python, so lists sorted
    in memory (workbooks, SQLite) match the pages' ICU order on PostgreSQL."""
    words = " ".join((text or "").split())
    primary, secondary = [], []
    for i, part in enumerate(_NUMBER.split(words)):
        if i % 2:  # a run of digits: its value
            primary.append((0, int(part), ()))
        elif part:
            letters, tones = _letters(part)
            primary.append((1, 0, letters))
            secondary.append(tones)
    return tuple(primary), tuple(secondary), words
