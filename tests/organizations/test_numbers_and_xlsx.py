from decimal import Decimal

from openpyxl import Workbook

from organizations.numbers import rate, vn_decimal, vn_int, vn_rate
from organizations.xlsx import safe_cell


def test_rates_round_half_up_on_the_shown_digit():
    assert rate(468, 2294) == Decimal("20.4")  # seed 000's figure, computed
    assert rate(1, 8) == Decimal("12.5") and rate(1, 800) == Decimal("0.1")  # 0.125 rounds up, not to even
    assert rate(3, 0) == Decimal("0.0")


def test_vietnamese_formats():
    assert vn_int(90511) == "90.511"
    assert vn_rate(25123, 90511) == "27,8%"
    assert vn_decimal(12.25) == "12,3" and vn_decimal(Decimal("2.3")) == "2,3"


def test_text_that_looks_like_a_formula_stays_text():
    ws = Workbook(write_only=True).create_sheet()
    for text in ['=HYPERLINK("http://x","bấm")', "+1", "-3", "@SUM(A1)"]:
        cell = safe_cell(ws, text)
        assert cell.data_type == "s" and cell.quotePrefix
    assert safe_cell(ws, 42).data_type == "n"
