""" "1+2" yearly tallies of the staff the user may see (fieldwork.selectors: the tally behind
``yearly_tally`` and the tally page, in a constant number of queries)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from fieldwork import selectors

from .params import YEAR, year_of
from .serializers import FieldworkTallySerializer


class FieldworkTallies(APIView):
    @extend_schema(
        summary="Kết quả đi cơ sở “1+2” trong năm",
        description="Số ngày, số lần đi cơ sở của từng cán bộ bạn được xem, so với mức tối thiểu.",
        parameters=[YEAR],
        responses=FieldworkTallySerializer(many=True),
    )
    def get(self, request):
        year = year_of(request)
        items = selectors.tallies(selectors.assignments_visible(request.user, year), year)
        return Response(FieldworkTallySerializer(items, many=True).data)
