"""Why the figures moved between two returns (issue 18): the member and unit history and the audit
entries of the subtree between the two submission times, grouped into sentences such as
"+12 đoàn viên: chuyển đến từ Huyện đoàn X ngày 14/10/2026" or
"1 kết quả xếp loại mở lại ngày 02/11/2026, lý do: …", keyed by the root's child unit they fall
under (the rows of the per-unit tables).

Bounded: three grouped queries (members joining, members leaving, audit entries) and one for the
units' names, whatever the size of the subtree or the length of the window."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Substr
from django.utils import timezone

from evaluations.models import Assessment, RatingPeriod
from members.models import MemberEvent
from organizations.models import AuditEntry, Organization
from organizations.numbers import vn_int

Kind = MemberEvent.Kind
PER_ROW = 6  # sentences shown under one row; the rest are counted
# Events that put a member on a roll (joining side) or take them off it (leaving side).
# (verb, the preposition before the unit on the other side, if any)
JOINING = {
    Kind.ADMISSION: ("kết nạp", ""),
    Kind.RECORDED: ("nhập hồ sơ", ""),
    Kind.TRANSFER_IN: ("chuyển đến", "từ"),
    Kind.MERGED: ("hợp nhất chi đoàn", "từ"),
}
LEAVING = {
    Kind.TRANSFER_IN: ("chuyển", "sang"),
    Kind.MERGED: ("hợp nhất chi đoàn", "sang"),
    Kind.MATURED: ("trưởng thành", ""),
    Kind.REMOVED: ("xóa tên", ""),
    Kind.DECEASED: ("từ trần", ""),
}
# Audit entries that change a report's figures, as the reasons name them.
AUDITED = {
    (Assessment, "approve"): "kết quả xếp loại được duyệt",
    (Assessment, "change_level"): "kết quả xếp loại đổi mức",
    (Assessment, "reopen"): "kết quả xếp loại mở lại",
    (Assessment, "return"): "kết quả xếp loại bị trả lại",
    (RatingPeriod, "lock"): "đợt xếp loại khóa kết quả",
    (Organization, "create"): "đơn vị thành lập",
    (Organization, "rename"): "đơn vị đổi tên",
    (Organization, "move"): "đơn vị chuyển sang cấp trên khác",
    (Organization, "merge"): "đơn vị hợp nhất",
    (Organization, "dissolve"): "đơn vị giải thể",
}


@dataclass
class Reasons:
    by_code: dict[str, list[str]] = field(default_factory=dict)  # child unit code -> sentences
    overall: list[str] = field(default_factory=list)  # every sentence, with its unit's name

    def for_row(self, code: str) -> list[str]:
        return self.by_code.get(code, [])

    def __bool__(self) -> bool:
        return bool(self.overall)


def _days(first: date, last: date) -> str:
    # an audit time is shown as the day it was in Việt Nam (TIME_ZONE), not in UTC
    first, last = (timezone.localtime(d).date() if isinstance(d, datetime) else d for d in (first, last))
    if first == last:
        return f"ngày {first:%d/%m/%Y}"
    return f"từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}"


def _after(path_field: str, time_field: str, windows: list[tuple[str, datetime]]) -> Q:
    """Rows under each window's path changed after that window's start (one OR'ed filter)."""
    q = Q(pk__in=[])
    for path, since in windows:
        q |= Q(**{f"{path_field}__startswith": path, f"{time_field}__gt": since})
    return q


def _events(root: Organization, windows, until, side: str, verbs: dict) -> list[dict]:
    mine, other = ("to_branch", "from_branch") if side == "in" else ("from_branch", "to_branch")
    width = len(root.path) + Organization.steplen
    return list(
        MemberEvent.objects.filter(
            _after(f"{mine}__path", "created_at", windows), kind__in=list(verbs), created_at__lte=until
        )
        .annotate(row=Substr(f"{mine}__path", 1, width), other=Substr(f"{other}__path", 1, width))
        .values("row", "other", "kind")
        .annotate(n=Count("pk"), first=Min("date"), last=Max("date"))
        .order_by()
    )


def _audit(root: Organization, windows, until) -> tuple[list[dict], dict[int, type]]:
    """Grouped audit entries, and the model of each content type id among them."""
    width = len(root.path) + Organization.steplen
    types = ContentType.objects.get_for_models(*{model for model, _ in AUDITED})
    wanted = Q(pk__in=[])
    for model, action in AUDITED:
        wanted |= Q(content_type=types[model], action=action)
    return list(
        AuditEntry.objects.filter(wanted, _after("organization__path", "at", windows), at__lte=until)
        .annotate(row=Substr("organization__path", 1, width))
        .values("row", "content_type", "action")
        .annotate(n=Count("pk"), first=Min("at"), last=Max("at"), reason_max=Max("reason"), reason_min=Min("reason"))
        .order_by()
    ), {types[model].pk: model for model, _ in AUDITED}


def _member_sentence(group: dict, sign: str, wording: tuple[str, str], names: dict) -> str:
    verb, preposition = wording
    other = names.get(group["other"]) if group["other"] else None
    where = f" {preposition} {other.name}" if preposition and other else ""
    return f"{sign}{vn_int(group['n'])} đoàn viên: {verb}{where} {_days(group['first'], group['last'])}"


def _audit_sentence(group: dict, label: str) -> str:
    text = f"{vn_int(group['n'])} {label} {_days(group['first'], group['last'])}"
    if group["reason_max"] and group["reason_max"] == group["reason_min"]:
        text += f", lý do: {group['reason_max']}"
    return text


def between(*, root: Organization, since, until) -> Reasons:
    """The reasons for changes in ``root``'s subtree after ``since`` up to ``until``."""
    return since_each(root=root, windows=[(root.path, min(since, until))], until=max(since, until))


def since_each(*, root: Organization, windows: list[tuple[str, datetime]], until) -> Reasons:
    """The same, with a start of its own for each subtree of ``windows`` (path, since): a
    consolidation asks each child what changed since that child signed its return."""
    sentences: list[tuple[str, int, str]] = []  # (row prefix, weight, sentence)
    if not windows:
        return Reasons()
    joined = _events(root, windows, until, "in", JOINING)
    left = _events(root, windows, until, "out", LEAVING)
    audited, models = _audit(root, windows, until)
    prefixes = {g["row"] for g in joined + left + audited} | {g["other"] for g in joined + left if g["other"]}
    names = {o.path: o for o in Organization.objects.filter(path__in=prefixes).only("path", "code", "name")}
    for side, groups, verbs in (("+", joined, JOINING), ("−", left, LEAVING)):
        for g in groups:
            if g["kind"] == Kind.TRANSFER_IN and g["other"] == g["row"]:
                continue  # moved between chi đoàn of one unit: that unit's figures do not change
            sentences.append((g["row"], g["n"], _member_sentence(g, side, verbs[g["kind"]], names)))
    for g in audited:
        label = AUDITED[(models[g["content_type"]], g["action"])]
        sentences.append((g["row"], g["n"], _audit_sentence(g, label)))
    return _collect(root, sentences, names)


def _collect(root: Organization, sentences: list, names: dict) -> Reasons:
    grouped: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row, weight, text in sentences:
        grouped[row].append((weight, text))
    out = Reasons()
    for row, items in sorted(grouped.items()):
        items.sort(key=lambda item: -item[0])
        texts = [t for _, t in items[:PER_ROW]]
        if len(items) > PER_ROW:
            texts.append(f"và {vn_int(len(items) - PER_ROW)} nhóm thay đổi khác")
        unit = names.get(row)
        own = row == root.path or unit is None
        if not own:
            out.by_code[unit.code] = texts
        label = f"{root.name} (trực tiếp)" if own else unit.name
        out.overall += [f"{label}: {t}" for t in texts]
    return out
