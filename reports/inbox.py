"""What is waiting for a user in this app, shown on their home page (doanhub.dashboard):
their report jobs finished since they last looked, and those still running. One query."""

from django.db.models import Count, Q
from django.urls import reverse

from organizations.inbox import InboxItem

from .models import ReportJob
from .selectors import my_jobs

Status = ReportJob.Status


def items(user) -> list[InboxItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    counts = my_jobs(user).aggregate(
        done=Count("pk", filter=Q(status=Status.DONE, seen_at__isnull=True)),
        failed=Count("pk", filter=Q(status=Status.FAILED, seen_at__isnull=True)),
        running=Count("pk", filter=Q(status__in=[Status.QUEUED, Status.RUNNING])),
    )
    url = reverse("reports:index")
    out = []
    if counts["done"]:
        out.append(InboxItem(title="Báo cáo đã lập xong, chưa xem", url=url, count=counts["done"]))
    if counts["failed"]:
        out.append(InboxItem(title="Báo cáo bị lỗi, cần chạy lại", url=url, count=counts["failed"], urgent=True))
    if counts["running"]:
        out.append(InboxItem(title="Báo cáo đang lập", url=url, count=counts["running"]))
    return out
