""" "1+2" events (notifications.notify after the service's commit): an unplanned-visit request to
the Standing office, and its answer to the staff member with the reason of a refusal; a
quarter plan approved, or returned with the reason, to each staff member in it."""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import event_key, notify_on_commit
from organizations.models import Post

from .models import staff_name


def visit_requested(visit) -> None:
    province = visit.assignment.department.organization
    notify_on_commit(
        kind=Kind.REQUESTED,
        event_key=f"fieldwork:request:{visit.pk}:requested",
        title=(
            f"Đề xuất đi cơ sở đột xuất chờ Thường trực đồng ý: {staff_name(visit.assignment.user)} đến "
            f"{visit.target.name} ngày {visit.starts_on:%d/%m/%Y}"
        ),
        body=f"Mục đích: {visit.purpose}",
        link=reverse("fieldwork:requests"),
        unit=province,
        due_on=visit.starts_on,
        roles=(Post.Role.APPROVER,),
    )


def visit_request_decided(visit) -> None:
    consented = visit.status == visit.Status.CONSENTED
    answer = "được đồng ý" if consented else "không được đồng ý"
    notify_on_commit(
        kind=Kind.DECIDED,
        event_key=f"fieldwork:request:{visit.pk}:{visit.status}",
        title=f"Đề xuất đi cơ sở {visit.target.name} ngày {visit.starts_on:%d/%m/%Y} {answer}",
        body="" if consented else f"Lý do: {visit.decision_reason}",
        link=reverse("fieldwork:visit", args=[visit.pk]),
        unit=visit.target,
        due_on=visit.starts_on,
        users=[visit.assignment.user],
    )


def staff_plan_decided(staff_plan, department_plan) -> None:
    """The Standing office's approval, or a return (with its reason), of the staff member's plan."""
    returned = staff_plan.status == staff_plan.Status.RETURNED
    what = f"Kế hoạch đi cơ sở quý {staff_plan.quarter}/{department_plan.year} của {staff_name(staff_plan.assignment.user)}"
    notify_on_commit(
        kind=Kind.RETURNED if returned else Kind.APPROVED,
        event_key=event_key("fieldwork:plan", staff_plan.pk, staff_plan.status, at=department_plan.decided_at),
        title=f"{what} bị trả lại" if returned else f"{what} đã được phê duyệt",
        body=f"Lý do: {staff_plan.return_reason}" if returned else "",
        link=reverse("fieldwork:plan", args=[staff_plan.pk]),
        unit=department_plan.department.organization,
        users=[staff_plan.assignment.user],
    )
