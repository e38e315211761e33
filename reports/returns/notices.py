"""Who hears about a return: the receiving unit's officers when it arrives, the sending unit's
officers (and whoever sent it) when it is accepted or sent back (notifications.services)."""

from django.urls import reverse

from notifications.models import Kind
from notifications.recipients import OVERSEERS
from notifications.services import notify_on_commit

from .models import Return


def _what(ret: Return) -> str:
    return f"Báo cáo “{ret.kind_label}” năm {ret.year} của {ret.root.name} (bản số {ret.version})"


def submitted(ret: Return) -> None:
    if ret.receiver_id is None:
        return
    notify_on_commit(
        kind=Kind.ESCALATION,
        event_key=f"return:{ret.pk}:submitted",
        title=f"{_what(ret)} đã gửi lên, chờ tiếp nhận",
        link=reverse("returns:detail", args=[ret.pk]),
        unit=ret.receiver,
        due_on=ret.due_on,
        roles=OVERSEERS,
    )


def decided(ret: Return) -> None:
    accepted = ret.status == Return.Status.ACCEPTED
    event = {
        "kind": Kind.APPROVED if accepted else Kind.RETURNED,
        "event_key": f"return:{ret.pk}:{ret.status}",
        "title": f"{_what(ret)} {'đã được tiếp nhận' if accepted else 'bị trả lại'} ({ret.receiver.name})",
        "body": ret.decision_reason,
        "link": reverse("returns:detail", args=[ret.pk]),
        "unit": ret.root,
    }
    notify_on_commit(**event, roles=OVERSEERS)
    if ret.submitted_by_id:  # the sender may hold no post at the unit itself (an administrator above)
        notify_on_commit(**event, users=[ret.submitted_by])
