"""Text normalised on the way in (issue 14): one helper, ``organizations.text.clean_text``, used by
every form's text field and by the import's cells; a reason of invisible characters is blank."""

import sys
import unicodedata

from django import forms

from organizations.forms import TextField
from organizations.text import _INVISIBLE, clean_text, is_blank

ZWSP = "\u200b"


def test_it_composes_removes_invisible_characters_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")  # as a Mac types it
    assert clean_text(f"  {decomposed}{ZWSP} \u00a0 \ufeffHà\u00ad\t ") == "Nguyễn Thị Ánh Hà"
    assert len(clean_text(decomposed)) == len("Nguyễn Thị Ánh")


def test_multiline_text_keeps_its_line_breaks_and_one_blank_line():
    assert clean_text(" Dòng  một \r\n\n\n\n  dòng\u200b hai  \n", multiline=True) == "Dòng một\n\ndòng hai"


def test_only_invisible_characters_is_blank():
    assert is_blank(ZWSP * 3) and is_blank(f" \u2060{ZWSP}\ufeff \n") and is_blank(None)
    assert not is_blank("Vắng 3 buổi") and clean_text(ZWSP) == ""


def test_the_invisible_class_is_exactly_unicodes_format_control_private_and_surrogate_characters():
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        expected = unicodedata.category(ch) in {"Cf", "Cc", "Co", "Cs"} and ch not in "\n\t\r"
        assert bool(_INVISIBLE.fullmatch(ch)) == expected, hex(cp)


class ReasonForm(forms.Form):
    name = TextField(max_length=20)
    reason = TextField(widget=forms.Textarea)
    note = TextField(required=False)


def test_a_forms_text_field_keeps_the_normalised_text():
    form = ReasonForm({"name": f" Lò  Thị{ZWSP} Mai ", "reason": "Chuyển\u00a0 công tác\n\n\nđi xa", "note": ZWSP})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "Lò Thị Mai", "reason": "Chuyển công tác\n\nđi xa", "note": ""}


def test_a_required_field_of_invisible_characters_is_refused_as_empty():
    form = ReasonForm({"name": "An", "reason": f"{ZWSP}{ZWSP}\u2060"})
    assert not form.is_valid() and form.errors["reason"] == ["Trường này là bắt buộc."]


def test_fold_is_its_definition_for_every_character_and_for_names():
    from organizations.text import fold, fold_slowly

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for start in range(0, len(every), 4096):  # in pieces: marks combine with the letter before them
        piece = every[start : start + 4096]
        assert fold(piece) == fold_slowly(piece)
    for text in ["Đoàn Khối", "NGUYỄN  Thị\u00a0Ánh", "Nguye\u0302\u0303n", "  ", "İstanbul", "ǅemal", "e\u0301\u0323"]:
        assert fold(text) == fold_slowly(text), text
