"""Members of a unit: the member page's filters (members.forms.FilterForm) and its keyset paging
(members.selectors), so the API and the page always agree on who matches and in what order."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from members import selectors
from members.forms import FilterForm
from members.permissions import personal_data_reader

from .params import UNIT, unit_of
from .personal import note_personal_read
from .serializers import MemberPageSerializer, MemberSerializer

PER_PAGE = 100
FILTERS = [
    OpenApiParameter("q", str, description="Tên (không cần dấu), số CCCD, số thẻ hoặc số điện thoại."),
    OpenApiParameter("age", str, description="Nhóm tuổi: 16-18, 19-24, 25-30, 31-35, tren-35."),
    OpenApiParameter("gender", str, description="Giới tính (mã như trên trang)."),
    OpenApiParameter("status", str, description="Trạng thái; bỏ trống: đang sinh hoạt; all: tất cả."),
    OpenApiParameter("post", str, description="Chức vụ: any = có chức vụ, hoặc mã chức vụ."),
    OpenApiParameter("cursor", str, description="Con trỏ trang sau (lấy từ “next”)."),
]


class MemberList(APIView):
    @extend_schema(
        summary="Đoàn viên của một đơn vị",
        description="Cùng bộ lọc và thứ tự với trang danh sách đoàn viên; phân trang theo con trỏ. Số CCCD, "
        "điện thoại, email, địa chỉ: chỉ trên các dòng mà trang hồ sơ đoàn viên cũng hiện cho người dùng (bí thư "
        "chi đoàn, cán bộ cấp trên quản lý hồ sơ); mỗi lần đọc chúng bằng mã truy cập được ghi nhật ký.",
        parameters=[UNIT, *FILTERS],
        responses=MemberPageSerializer,
    )
    def get(self, request):
        org = unit_of(request)
        filters = FilterForm(request.query_params).filters()
        total = org.members_total if not filters else None  # the summary row, as the page reads it
        cursor = request.query_params.get("cursor", "")
        page = selectors.keyset_page(
            selectors.roster(org, **filters, user=request.user), cursor=cursor, per_page=PER_PAGE, total=total
        )
        sees = personal_data_reader(request.user)
        shown = sum(1 for member in page.rows if sees(member))
        if shown:
            note_personal_read(request, unit=org, what=f"{shown} hồ sơ đoàn viên")
        return Response(
            {
                "count": page.total,
                "count_capped": page.more_than_cap,
                "next": self._next_url(request, page.next_cursor),
                "results": MemberSerializer(page.rows, many=True, context={"sees_personal": sees}).data,
            }
        )

    @staticmethod
    def _next_url(request, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        query = request.query_params.copy()
        query["cursor"] = cursor
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
