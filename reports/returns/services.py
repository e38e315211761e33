"""Returns to the level above (issue 18): submit, accept, send back, and the receiver's deadline.

``submit`` freezes a report's figures as data: from a finished report job (what the officer
looked at), built now from live data, or consolidated from the children's accepted returns. The
build runs before the write transaction, in the report's own snapshot (reports.services), so a
national return is frozen at the cost of the report it is made from; numbering then takes a row
lock on the sending unit, so two officers sending at once get versions n and n+1."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from organizations import audit
from organizations.models import Organization
from organizations.scoping import in_scope
from reports import kinds
from reports.models import ReportJob
from reports.serialize import to_json
from reports.services import build_data

from . import consolidation, deadlines, notices, rules
from .models import Return, ReturnDeadline

Status, Source = Return.Status, Return.Source
MAX_REASON = 2000


def _check_kind_year(kind: str, year: int) -> None:
    if kinds.builder(kind) is None:
        raise ValidationError(f"Loại báo cáo “{kind}” không có hoặc chưa sẵn sàng.")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(f"Năm báo cáo {year} không hợp lệ (2000–2100).")


def _from_job(job: ReportJob, by) -> dict:
    if by is not None and not in_scope(by, job.root):
        raise PermissionDenied("Báo cáo không thuộc phạm vi của bạn.")
    if job.status != ReportJob.Status.DONE or not job.result:
        raise ValidationError(f"Báo cáo #{job.pk} chưa lập xong: chỉ gửi được báo cáo đã có số liệu.")
    return job.result


def figures(*, kind: str, root: Organization, year: int, source: str, job: ReportJob | None = None) -> dict:
    """The report's JSON to freeze (reports.serialize), from the chosen source."""
    if source == Source.JOB:
        if job is None:
            raise ValidationError("Chọn báo cáo đã lập để gửi lên cấp trên.")
        return job.result
    if source == Source.CHILDREN:
        return to_json(consolidation.from_children(kind=kind, root=root, year=year))
    return to_json(build_data(kind=kind, root=root, year=year, years=[]))


def _as_of(raw: dict, job: ReportJob | None) -> date | None:
    """The reference date the figures were counted at, when the report carries one."""
    value = raw.get("as_of") or (getattr(job, "as_of", None) if job else None)
    return date.fromisoformat(value) if isinstance(value, str) else value


def submit(
    *,
    by,
    kind: str = "",
    root: Organization | None = None,
    year: int = 0,
    source: str = Source.LIVE,
    job: ReportJob | None = None,
) -> Return:
    """Gửi báo cáo lên cấp trên: an officer of ``root`` freezes the figures as a new version.
    ``job``: its kind, unit and year are the return's. ``by=None`` is an operator's
    ``submit_return`` run on the server (no web user to check)."""
    if job is not None:
        kind, root, year, source = job.kind, job.root, job.year, Source.JOB
        _from_job(job, by)
    if by is not None and not rules.can_submit(by, root):
        raise PermissionDenied(f"Chỉ cán bộ của {root.name} mới gửi được báo cáo của đơn vị lên cấp trên.")
    if source not in Source.values:
        raise ValidationError(f"Nguồn số liệu “{source}” không hợp lệ.")
    _check_kind_year(kind, year)
    raw = figures(kind=kind, root=root, year=year, source=source, job=job)
    return _record(kind=kind, root=root, year=year, by=by, source=source, job=job, raw=raw)


@transaction.atomic
def _record(*, kind, root, year, by, source, job, raw) -> Return:
    Organization.objects.select_for_update().filter(pk=root.pk).exists()  # one numbering at a time
    versions = Return.objects.filter(kind=kind, root=root, year=year)
    number = (versions.aggregate(n=Max("version"))["n"] or 0) + 1
    for old in versions.filter(status=Status.SUBMITTED).select_for_update():
        _transition(old, Status.SUPERSEDED, by=by, action="return_superseded", reason=f"thay bằng bản số {number}")
    ret = Return.objects.create(
        kind=kind,
        root=root,
        year=year,
        version=number,
        receiver=root.parent(),
        as_of=_as_of(raw, job),
        data=raw,
        source=source,
        job=job,
        submitted_by=by,
        submitted_at=timezone.now(),
        due_on=deadlines.due_on(kind=kind, root=root, year=year),
    )
    audit.record(
        target=ret,
        action="return_submit",
        by=by,
        organization=root,
        to_state=ret.get_status_display(),
        reason=f"bản số {number} — {Source(source).label}",
    )
    notices.submitted(ret)
    return ret


def _transition(ret: Return, to: str, *, by, action: str, reason: str = "") -> None:
    before = ret.get_status_display()
    ret.status = to
    ret.save(update_fields=["status"])
    audit.record(
        target=ret,
        action=action,
        by=by,
        organization=ret.receiver or ret.root,
        from_state=before,
        to_state=ret.get_status_display(),
        reason=reason,
    )


def _decide(ret: Return, by, to: str, action: str, reason: str = "") -> Return:
    ret = (
        Return.objects.select_for_update(of=("self",)).select_related("root", "receiver", "submitted_by").get(pk=ret.pk)
    )
    if not rules.can_decide(by, ret):
        raise PermissionDenied("Chỉ cán bộ của đơn vị nhận mới tiếp nhận hoặc trả lại báo cáo.")
    if ret.status != Status.SUBMITTED:
        raise ValidationError(
            f"Bản số {ret.version} đã ở trạng thái “{ret.get_status_display().lower()}”: không thể xử lý lại."
        )
    ret.decided_by, ret.decided_at, ret.decision_reason = by, timezone.now(), reason
    ret.save(update_fields=["decided_by", "decided_at", "decision_reason"])
    _transition(ret, to, by=by, action=action, reason=reason)
    notices.decided(ret)
    return ret


@transaction.atomic
def accept(*, ret: Return, by) -> Return:
    """Tiếp nhận: the receiving unit takes the figures as what the sender signed."""
    return _decide(ret, by, Status.ACCEPTED, "return_accept")


@transaction.atomic
def send_back(*, ret: Return, by, reason: str) -> Return:
    """Trả lại: the receiver refuses the figures, saying why; the sender corrects and sends a new version."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Cần ghi lý do trả lại báo cáo.")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Lý do trả lại dài quá {MAX_REASON} ký tự.")
    return _decide(ret, by, Status.RETURNED, "return_send_back", reason)


@transaction.atomic
def set_deadline(*, kind: str, year: int, organization: Organization, due_on: date, by) -> ReturnDeadline:
    """Hạn gửi báo cáo of one kind and year for the units under ``organization``, set by its officers."""
    if not rules.is_officer_of(by, organization):
        raise PermissionDenied(f"Chỉ cán bộ của {organization.name} mới đặt hạn gửi báo cáo cho đơn vị trực thuộc.")
    _check_kind_year(kind, year)
    looser = [d for d in deadlines.set_above(kind=kind, year=year, unit=organization) if d < due_on]
    if looser:
        raise ValidationError(
            f"Cấp trên đã đặt hạn {min(looser):%d/%m/%Y}: hạn của {organization.name} không được muộn hơn."
        )
    row, created = ReturnDeadline.objects.update_or_create(
        kind=kind, year=year, organization=organization, defaults={"due_on": due_on}
    )
    audit.record(
        target=row,
        action="return_deadline",
        by=by,
        organization=organization,
        to_state=f"{due_on:%d/%m/%Y}",
        reason=f"{kinds.label(kind)} năm {year}",
    )
    return row
