"""How a deadline reads beside the work that is owed, wherever the one who owes it sees it (the
home page's items of the rating, "3 chủ động" and "1+2"): late work says so, to its owner too,
not only to the level above."""

from datetime import date


def due_note(due: date, today: date) -> str:
    """ "hạn 31/10/2026"; past it, "quá hạn 3 ngày, hạn 31/10/2026"."""
    late = (today - due).days
    return f"quá hạn {late} ngày, hạn {due:%d/%m/%Y}" if late > 0 else f"hạn {due:%d/%m/%Y}"
