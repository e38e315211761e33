"""Units and members sort in Vietnamese order, numbers in natural order (issue 15)."""

from organizations.text import vn_sort_key


def _sorted(names):
    return sorted(names, key=vn_sort_key)


def test_d_with_stroke_sorts_after_d_and_before_e():
    assert _sorted(["Em", "Đoàn xã", "Vũ", "Dương"]) == ["Dương", "Đoàn xã", "Em", "Vũ"]


def test_numbers_sort_by_value():
    assert _sorted(["Chi đoàn số 10", "Chi đoàn số 2", "Chi đoàn số 1"]) == [
        "Chi đoàn số 1",
        "Chi đoàn số 2",
        "Chi đoàn số 10",
    ]


def test_letters_with_marks_follow_their_base_and_tones_only_break_ties():
    assert _sorted(["ân", "ăn", "an", "bà", "ba", "bá", "ơ", "ô", "o", "Ưng", "Uyên"]) == [
        "an", "ăn", "ân", "ba", "bà", "bá", "o", "ô", "ơ", "Uyên", "Ưng",
    ]  # fmt: skip
    assert _sorted(["Ánh", "Anh", "Anh Ba"]) == ["Anh", "Ánh", "Anh Ba"]
