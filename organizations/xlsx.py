"""Excel cells every app's workbooks share."""

from openpyxl.cell import WriteOnlyCell

# A cell starting with one of these would run as a formula in Excel or LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(ws, value) -> WriteOnlyCell:
    """A write-only cell whose text is always text: "=HYPERLINK(…)" in a unit name never runs."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would type "=…" as a formula
        cell.quotePrefix = True  # and the spreadsheet shows it literally
    return cell
