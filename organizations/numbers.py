"""Vietnamese number formatting for text that leaves the template layer (narratives, Excel).

One rounding rule for every report: rates are 0–100, rounded half up on the shown digit, so
the page, the workbook and the narrative print the same "20,4%"."""

from decimal import ROUND_HALF_UP, Decimal


def vn_int(value: int) -> str:
    """2294 -> "2.294"."""
    return f"{int(value):,}".replace(",", ".")


def rate(part: int, whole: int, decimals: int = 1) -> Decimal:
    """468, 2294 -> Decimal("20.4"); 0 when ``whole`` is 0."""
    if not whole:
        return Decimal(0).quantize(Decimal(1).scaleb(-decimals))
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def vn_decimal(value: Decimal | float, decimals: int = 1) -> str:
    """12.25 -> "12,3" (Vietnamese decimal comma, rounded half up)."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact}".replace(".", ",")


def vn_rate(part: int, whole: int, decimals: int = 1) -> str:
    """468, 2294 -> "20,4%"; "0,0%" when whole is 0."""
    return vn_decimal(rate(part, whole, decimals), decimals) + "%"
