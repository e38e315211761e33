"""Rating results and the rollup: the numbers of the ratings report, from its own builder
(reports.builders.ratings.rollup: three grouped passes whatever the subtree's size)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from evaluations.models import LEVEL_ORDER
from organizations.levels import level_sort_key
from reports.builders import ratings
from reports.services import snapshot

from .params import UNIT, YEAR, unit_of, year_of
from .serializers import RollupSerializer, SubjectTallySerializer

LEVEL_KEYS = [level.value.lower() for level in LEVEL_ORDER]  # the order of Tally.levels


def _rollup(root, year: int):
    """The builder's passes in one consistent snapshot, as the report job reads them."""
    with snapshot():
        return ratings.rollup(root, [year])


def tally_fields(t: "ratings.Tally") -> dict:
    return {"total": t.total, **dict(zip(LEVEL_KEYS, t.levels, strict=True)), "not_rated": t.residual}


class RatingList(APIView):
    @extend_schema(
        summary="Kết quả xếp loại theo năm và loại đối tượng",
        description="Toàn bộ cây dưới đơn vị: số lượng mỗi mức và chưa xếp loại, như dòng tổng của báo cáo.",
        parameters=[UNIT, YEAR],
        responses=SubjectTallySerializer(many=True),
    )
    def get(self, request):
        root, year = unit_of(request), year_of(request)
        roll, _, _ = _rollup(root, year)
        body = [
            {"year": year, "subject_type": subject.value, **tally_fields(roll.total(year, subject))}
            for subject in ratings.SUBJECT_ORDER
        ]
        return Response(body)


class RollupDetail(APIView):
    @extend_schema(
        summary="Bảng tổng hợp xếp loại theo đơn vị và theo cấp",
        description="Cùng số liệu với báo cáo xếp loại (cùng hàm tổng hợp): mỗi đơn vị trực thuộc và mỗi cấp.",
        parameters=[UNIT, YEAR],
        responses=RollupSerializer,
    )
    def get(self, request):
        root, year = unit_of(request), year_of(request)
        roll, rows, levels = _rollup(root, year)
        keys = {key for (y, key, _), t in roll.by_child.items() if y == year and t.total}
        by_unit = [
            _row(year, subject, roll.by_child[(year, unit.key, subject)], unit=unit.code, unit_name=unit.name)
            for subject in ratings.SUBJECT_ORDER
            for unit in rows.ordered(keys)
            if (year, unit.key, subject) in roll.by_child
        ]
        by_level = [
            _row(year, subject, roll.by_level[(year, level.pk, subject)], level=level.code)
            for subject in ratings.SUBJECT_ORDER
            for level in sorted(levels.values(), key=level_sort_key)
            if (year, level.pk, subject) in roll.by_level
        ]
        return Response({"unit": root.code, "year": year, "by_unit": by_unit, "by_level": by_level})


def _row(year: int, subject: str, t: "ratings.Tally", *, unit=None, unit_name=None, level=None) -> dict:
    return {
        "year": year,
        "subject_type": subject,
        "unit": unit,
        "unit_name": unit_name,
        "level": level,
        **tally_fields(t),
    }
