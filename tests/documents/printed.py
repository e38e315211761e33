"""What every printed workbook sheet holds, asserted the same way for every app's workbooks."""

from organizations.xlsx import PERCENT_FORMAT, SIGNERS, UNION


def cells(ws) -> dict:
    return {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}


def assert_printable(ws, *, year: str = "2025") -> None:
    """Landscape A4 one page wide, page numbers, letterhead, unit and year, signature block, and
    no rate in any format but the one."""
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    found = cells(ws)
    assert UNION in found and all(signer in found for signer in SIGNERS)
    assert any(isinstance(v, str) and v.startswith("Đơn vị: ") and f"Năm {year}" in v for v in found)
    assert any(isinstance(v, str) and ", ngày " in v and " tháng " in v and " năm " in v for v in found)
    rates = {c.number_format for row in ws.iter_rows() for c in row if "%" in c.number_format}
    assert rates <= {PERCENT_FORMAT}
