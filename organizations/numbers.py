"""Vietnamese number formatting for text that leaves the template layer (narratives, Excel)."""


def vn_int(value: int) -> str:
    """2294 -> "2.294"."""
    return f"{int(value):,}".replace(",", ".")


def vn_rate(part: int, whole: int, decimals: int = 1) -> str:
    """468, 2294 -> "20,4%" (rounded half up on the displayed digit); "0,0%" when whole is 0."""
    from decimal import ROUND_HALF_UP, Decimal

    if not whole:
        rate = Decimal(0)
    else:
        rate = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{rate:.{decimals}f}".replace(".", ",") + "%"
