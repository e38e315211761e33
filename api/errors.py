"""DRF's own refusals in Vietnamese (its "vi" catalogue leaves these in English), naming what to do."""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from organizations.queueing import WORKERS_DOWN


class WorkersDown(exceptions.APIException):
    """The broker did not answer: nothing was queued or saved; the client may retry (503, as a
    server that is up but cannot serve yet), not a fault in its request (400)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = WORKERS_DOWN
    default_code = "workers_down"


def vietnamese_errors(exc, context):
    if isinstance(exc, exceptions.NotAuthenticated):
        exc.detail = "Cần đăng nhập, hoặc gửi mã truy cập cá nhân: Authorization: Bearer <mã>."
    elif isinstance(exc, exceptions.Throttled):
        exc.detail = f"Mã truy cập này gửi quá nhiều yêu cầu; thử lại sau {exc.wait or 1:.0f} giây."
    elif isinstance(exc, exceptions.MethodNotAllowed):
        exc.detail = (
            f"Địa chỉ này không nhận phương thức {context['request'].method}: API chỉ đọc, trừ yêu cầu báo cáo."
        )
    return exception_handler(exc, context)
