"""Report jobs: request one (the one write of the API), poll it, download its file, all through
the reports app's own service, selectors and stored-file streaming, as the report page does."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.queueing import WORKERS_DOWN
from organizations.scoping import get_org_or_404
from organizations.views_helpers import stream_stored
from reports import selectors, services

from .errors import WorkersDown
from .paging import NewestFirst
from .serializers import ReportJobSerializer, ReportRequestSerializer


@extend_schema(summary="Báo cáo của tôi", description="Các báo cáo bạn đã yêu cầu, mới nhất trước.")
class ReportJobList(generics.ListCreateAPIView):
    serializer_class = ReportJobSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return selectors.my_jobs(self.request.user)

    @extend_schema(
        summary="Yêu cầu một báo cáo",
        description="Xếp hàng cho worker; theo dõi bằng đường dẫn của báo cáo trả về.",
        request=ReportRequestSerializer,
        responses={
            201: ReportJobSerializer,
            503: OpenApiResponse(description=f"Không xếp hàng được: “{WORKERS_DOWN}” Không có báo cáo nào được tạo."),
        },
    )
    def post(self, request):
        form = ReportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        root = get_org_or_404(request.user, data["root"])  # outside the scope: 404, as the page
        try:
            job = services.request_job(
                kind=data["kind"],
                root=root,
                year=data["year"],
                years=data.get("years"),
                as_of=data.get("as_of"),
                by=request.user,
            )
        except DjangoValidationError as exc:
            if WORKERS_DOWN in exc.messages:  # the page's message (organizations.queueing), as a 503
                raise WorkersDown() from None
            raise ValidationError({"detail": exc.messages}) from None
        body = ReportJobSerializer(job, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(summary="Một báo cáo", description="Trạng thái và tiến độ; ngoài phạm vi: 404.")
class ReportJobDetail(generics.RetrieveAPIView):
    serializer_class = ReportJobSerializer

    def get_object(self):
        return selectors.get_job_or_404(self.request.user, self.kwargs["pk"])


class ReportJobDownload(APIView):
    @extend_schema(
        summary="Tải tệp Excel của báo cáo",
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        job = selectors.get_job_or_404(request.user, pk)
        return stream_stored(job.file, filename=job.file.name.rsplit("/", 1)[-1], missing="Báo cáo chưa có tệp Excel.")
