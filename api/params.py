"""Query parameters shared by the endpoints, read one way, refused in Vietnamese."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from organizations.models import Organization
from organizations.scoping import get_org_or_404, scope_roots

UNIT = OpenApiParameter(
    "unit", str, description="Mã đơn vị trong phạm vi của bạn; bỏ trống khi bạn chỉ có một đơn vị gốc."
)
YEAR = OpenApiParameter("year", int, description="Năm (mặc định: năm nay).")
ANY_YEAR = OpenApiParameter("year", int, description="Năm (mặc định: mọi năm).")


def unit_of(request) -> Organization:
    """``?unit=CODE`` through the user's scope (outside it: 404), or the user's one scope root."""
    code = request.query_params.get("unit", "").strip()
    if code:
        return get_org_or_404(request.user, code)
    roots = scope_roots(request.user)
    if len(roots) != 1:
        raise ValidationError({"unit": ["Bạn có nhiều đơn vị gốc (hoặc không có): cần chọn “unit” là mã đơn vị."]})
    return roots[0]


def year_of(request) -> int:
    return optional_year(request) or timezone.localdate().year


def optional_year(request) -> int | None:
    """``?year=`` checked as the report form checks it; None when left out."""
    raw = request.query_params.get("year", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": [f"Năm “{raw}” không hợp lệ (2000–2100)."]})
    return int(raw)
