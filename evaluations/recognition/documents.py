"""PDFs of the "3 chủ động" workflow's documents (issue 15), rendered by a worker with WeasyPrint:

- the recognition decision (quyết định công nhận), as a Đoàn decision is laid out: the issuing
  unit and "Số: …" on the left, "ĐOÀN TNCS HỒ CHÍ MINH" and the place and day on the right,
  title, căn cứ, Điều 1 (the units recognised, listed), Điều 2 (what recognition counts for:
  the annual rating and the cadres' awards, 08-HD/18-HD TWĐTN-BTC), Điều 3 (who carries it out),
  nơi nhận and the signature for the standing committee;
- the minutes (biên bản) of the district's evaluation of one registration, the step before the
  decision: who evaluated, the follow-ups and inspections during the year, each criterion's plan,
  result and evidence, and the conclusion (the proposal to recognise or not).

Requests and renderings go through ``organizations.pdfdocs`` (a ``RenderedDocument`` row with the
digest of the document's HTML, queued after commit; the same text is not queued twice).
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from organizations import pdfdocs
from organizations.scoping import get_scoped_or_404
from organizations.text import fold, vn_sort_key
from organizations.xlsx import SIGN_HINT

from .models import Decision, Registration, RenderedDocument

Kind = RenderedDocument.Kind
Outcome = Registration.Status
FIRST_GUIDANCE_YEAR = 2023  # 18-HD/TWĐTN-BTC covers 2023–2027; 08-HD/TWĐTN-BTC the years before


def guidance(year: int) -> str:
    if year >= FIRST_GUIDANCE_YEAR:
        return (
            "Hướng dẫn số 18-HD/TWĐTN-BTC của Ban Bí thư Trung ương Đoàn về xây dựng đoàn cơ sở "
            "“3 chủ động” giai đoạn 2023–2027"
        )
    return "Hướng dẫn số 08-HD/TWĐTN-BTC, ngày 16/5/2018 của Ban Bí thư Trung ương Đoàn về xây dựng đoàn cơ sở “3 chủ động”"


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def decision_html(decision: Decision) -> str:
    regs = list(decision.registrations.select_related("organization", "receiving_unit"))
    regs.sort(key=lambda r: vn_sort_key(r.organization.name))
    recognised = [r for r in regs if r.status == Outcome.RECOGNISED]
    campaign = decision.campaign
    context = {
        **pdfdocs.letterhead(decision.issued_by, decision.signed_on, decision.number),
        "decision": decision,
        "year": campaign.year,
        "campaign": campaign,
        "province": campaign.province,
        "guidance": guidance(campaign.year),
        "recognised": recognised,
        "refused": [r for r in regs if r.status == Outcome.NOT_RECOGNISED],
    }
    return render_to_string("recognition/pdf/decision.html", context)


def minutes_html(registration: Registration) -> str:
    scores = list(registration.evaluations.select_related("criterion", "evaluated_by"))
    plans = {p.criterion_id: p.text for p in registration.plans.all()}
    day = max((s.evaluated_at for s in scores), default=timezone.now())
    day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    evaluators = sorted({_person(s.evaluated_by) for s in scores if s.evaluated_by}, key=vn_sort_key)
    context = {
        **pdfdocs.letterhead(registration.receiving_unit, day),
        "reg": registration,
        "year": registration.campaign.year,
        "day": day,
        "evaluators": evaluators,
        "cadre": _person(registration.cadre),
        "followups": registration.followups.order_by("on_date", "id"),
        "rows": [{"score": s, "plan": plans.get(s.criterion_id, "")} for s in scores],
        "met": sum(s.met for s in scores),
        "decision": registration.decision,
        "sign_hint": SIGN_HINT,
    }
    return render_to_string("recognition/pdf/minutes.html", context)


def html_of(document: RenderedDocument) -> str:
    if document.kind == Kind.DECISION:
        return decision_html(document.decision)
    return minutes_html(document.registration)


def _target(kind: str, target) -> dict:
    return {"decision": target} if kind == Kind.DECISION else {"registration": target}


def latest(kind: str, target) -> RenderedDocument | None:
    """The last rendering asked for ``target``, whatever its state."""
    return RenderedDocument.objects.filter(kind=kind, **_target(kind, target)).first()


def is_current(document: RenderedDocument | None) -> bool:
    """The rendering holds the document's text as it is now (a changed decision makes it stale)."""
    return document is not None and document.digest == pdfdocs.digest(html_of(document))


def get_document_or_404(user, pk: int) -> RenderedDocument:
    """A rendering whose decision (by its issuing unit) or registration (by its đoàn cơ sở) is in
    the user's scope, as the pages it belongs to are; else 404."""
    kind = RenderedDocument.objects.filter(pk=pk).values_list("kind", flat=True).first()
    qs = RenderedDocument.objects.select_related("decision__campaign", "registration__campaign__province")
    if kind == Kind.DECISION:
        return get_scoped_or_404(user, qs, "decision__issued_by__path", pk=pk)
    return get_scoped_or_404(user, qs, "registration__organization__path", pk=pk)


def has_minutes(registration: Registration) -> bool:
    """Minutes exist once the district evaluated the registration (criteria scored)."""
    return registration.evaluations.exists()


@transaction.atomic
def request_pdf(*, kind: str, target, by) -> RenderedDocument:
    """Ask a worker for the PDF of ``target`` (a decision or an evaluated registration; the view
    has scoped it to ``by``). The same text rendered or on its way is returned, not queued again."""
    from .tasks import render_document

    fields = {"kind": kind, **_target(kind, target)}
    html = html_of(RenderedDocument(**fields))
    return pdfdocs.request(RenderedDocument, target=fields, html=html, by=by, enqueue=render_document.delay)


def filename(document: RenderedDocument) -> str:
    """ "quyet-dinh-3-chu-dong-2026-12-qd-hdtn.pdf", "bien-ban-3-chu-dong-2026-t1-h1-cs1.pdf"."""
    if document.kind == Kind.DECISION:
        stem, what = "quyet-dinh", document.decision.number
    else:
        stem, what = "bien-ban", document.registration.organization.code
    words = "".join(ch if ch.isalnum() else " " for ch in fold(what)).split()
    return f"{stem}-3-chu-dong-{document.campaign_year}-{'-'.join(words)}.pdf"


def render(*, document_id: int) -> RenderedDocument:
    """The worker's step (``pdfdocs.render``): the current text to PDF, or the row failed."""
    document = RenderedDocument.objects.select_related("decision__campaign", "registration__campaign").get(
        pk=document_id
    )
    return pdfdocs.render(document, html=lambda: html_of(document), filename=filename(document))
