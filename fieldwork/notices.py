""" "1+2" events told to the staff member (notifications.notify after the service's commit): the
Standing office's answer to an unplanned-visit request, with the reason of a refusal."""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import notify_on_commit


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
