"""Units: the tree in the user's scope, one unit by code, its children (summary counts, no
per-row counting: DESIGN.md)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from organizations.scoping import get_org_or_404, visible_orgs

from .paging import TreeOrder
from .serializers import UnitSerializer


def _units(user):
    return visible_orgs(user).select_related("level", "kind")


@extend_schema(
    summary="Các đơn vị trong phạm vi",
    description="Cây đơn vị theo thứ tự cây, kèm cấp, loại hình và số liệu tổng (đoàn viên, đơn vị, chi đoàn).",
    parameters=[OpenApiParameter("level", str, description="Chỉ các đơn vị của một cấp (mã cấp).")],
)
class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer
    pagination_class = TreeOrder

    def get_queryset(self):
        qs = _units(self.request.user)
        level = self.request.query_params.get("level")
        return qs.filter(level__code=level) if level else qs


@extend_schema(summary="Một đơn vị theo mã", description="Ngoài phạm vi của bạn: 404.")
class UnitDetail(generics.RetrieveAPIView):
    serializer_class = UnitSerializer

    def get_object(self):
        return get_org_or_404(self.request.user, self.kwargs["code"])


@extend_schema(summary="Các đơn vị trực thuộc", description="Đơn vị cấp dưới trực tiếp; ngoài phạm vi: 404.")
class UnitChildren(generics.ListAPIView):
    serializer_class = UnitSerializer
    pagination_class = TreeOrder

    def get_queryset(self):
        parent = get_org_or_404(self.request.user, self.kwargs["code"])
        return _units(self.request.user).filter(path__startswith=parent.path, depth=parent.depth + 1)
