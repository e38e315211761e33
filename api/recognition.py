""" "3 chủ động" registrations and the decisions recognising them, in the user's scope."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from evaluations.recognition.selectors import registrations

from .paging import NewestFirst
from .params import ANY_YEAR, optional_year
from .serializers import RegistrationSerializer


@extend_schema(
    summary="Đăng ký và công nhận “3 chủ động”",
    description="Các đăng ký của đoàn cơ sở trong phạm vi, kèm quyết định công nhận (nếu có).",
    parameters=[ANY_YEAR],
)
class RegistrationList(generics.ListAPIView):
    serializer_class = RegistrationSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        qs = registrations(self.request.user).select_related("campaign", "organization", "decision")
        year = optional_year(self.request)
        return qs if year is None else qs.filter(campaign__year=year)
