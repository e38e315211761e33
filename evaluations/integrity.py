"""Integrity checks on what units report (issue 14, "Beyond"): signs that a batch was not reviewed.

Officers of the national software script random scores and approve row by row; an approver cannot
see it in one batch at a time. Each check below flags a batch with the numbers that made it
suspect; a flag never blocks a decision (the approver decides, and may dismiss it with a reason:
``dismiss_flag``). Precision matters more than recall, so every threshold leans towards silence:

- ``one_level``: every member of a batch at one level, from ``MIN_BATCH`` members (a chi đoàn has
  at least 3 members; 3 alike is ordinary, 10 alike is a pattern).
- ``same_score``: every member's total points identical, from ``MIN_BATCH`` scored members.
- ``uniform_band``: from ``MIN_SPREAD_SCORES`` scores, all inside a band at most
  ``BAND_MAX_WIDTH`` points wide, and spread evenly over it, as a uniform random draw is: cut the
  band [min, max] into four equal quarters; each holds 20–30 % of the scores. Marks given by people
  gather around a typical value and thin out towards the edges. Simulated (bench/integrity.py):
  integer draws from 70–85 are caught in about one batch of five at 30 members; honest scores
  (normal, σ = 5) are flagged in about 3 % of 30-member batches and 0,7 % of 45-member ones. Below
  30 the two cannot be told apart, so nothing is said.
- ``cap_every_year``: the deciding unit's excellent count exactly at its quota (⌊base × quota⌋, at
  least ``CAP_MIN_ALLOWED``) for ``CAP_YEARS`` or more consecutive years ending with the batch's
  year (that year counted as proposed, when not yet decided); shown on the batches whose
  HTXSNV ratings fill that quota. The base counts the ratings (or those at good or better, as the
  policy says); for the year being decided, members the unit has on its roll but not yet rated
  count too (the quota meter's eligible members, bounded by the roll), so a unit that may still
  give more is not said to be at its cap. Earlier years, decided, use the ratings they have.
- ``own_above_members``: a chi đoàn rated HTXSNV while under ``OWN_EXCELLENT_SUPPORT`` % of its rated
  members are HTNV or better. Neither DOMAIN.md nor the seeds quote the rule linking a chi đoàn's
  level to its members': DOMAIN.md §1 says only "Four levels, the same for every subject" and seed
  000 reports the two side by side ("468/2.294 chi đoàn … hoàn thành xuất sắc nhiệm vụ …
  25.123/90.511 đoàn viên … hoàn thành xuất sắc nhiệm vụ đạt tỷ lệ 27,7%"). Provincial guides
  (after Hướng dẫn 33) ask an excellent chi đoàn for 90 % of members completing their duties or
  better; that figure is used, and only for HTXSNV, where it matters.
- ``fast_entry``: the unit's proposals entered faster than a person could: from
  ``FAST_MIN_ENTRIES`` members and entries, a median gap under ``FAST_MEDIAN_SECONDS`` seconds. The times are
  the audit trail's "propose" entries (the assessment's own ``updated_at`` is rewritten by the
  submit and the approval); an Excel import writes none, since a file is entered at once by design.

Reads are grouped for many batches at once (the queue page and the province report cost a fixed
number of queries whatever the number of batches); the checks themselves are pure functions.
"""

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Case, CharField, Count, F, Q, When
from django.db.models.functions import Cast, Round
from django.utils import timezone

from organizations.audit import record
from organizations.models import AuditEntry, Organization
from organizations.numbers import vn_decimal, vn_int, vn_rate
from organizations.text import clean_text

from . import rules
from .models import (
    GOOD_OR_BETTER,
    Assessment,
    FlagDismissal,
    RatingLevel,
    RatingPeriod,
    RatingPolicy,
    Status,
    SubjectType,
    Submission,
)
from .policies import PolicyBook

MIN_BATCH = 10
MIN_SPREAD_SCORES = 30
BAND_MAX_WIDTH = 20
QUARTER_SHARE = (Decimal(20), Decimal(30))  # % of the scores in each quarter of the band
CAP_YEARS = 3
CAP_LOOKBACK = 5  # years read to tell how long a run at the cap has lasted
CAP_MIN_ALLOWED = 2
OWN_EXCELLENT_SUPPORT = Decimal(90)
AT_LEAST_COMPLETED = (RatingLevel.HTXSNV, RatingLevel.HTTNV, RatingLevel.HTNV)
FAST_MIN_ENTRIES = 10
FAST_MEDIAN_SECONDS = 2
SENT = (Status.SUBMITTED, *Assessment.DECIDED)


class Code:
    ONE_LEVEL = "one_level"
    SAME_SCORE = "same_score"
    UNIFORM_BAND = "uniform_band"
    CAP_EVERY_YEAR = "cap_every_year"
    OWN_ABOVE_MEMBERS = "own_above_members"
    FAST_ENTRY = "fast_entry"


LABELS = {
    Code.ONE_LEVEL: "Mọi đoàn viên cùng một mức",
    Code.SAME_SCORE: "Điểm giống hệt nhau",
    Code.UNIFORM_BAND: "Điểm trải đều trong khoảng hẹp",
    Code.CAP_EVERY_YEAR: "HTXSNV đúng bằng chỉ tiêu nhiều năm liền",
    Code.OWN_ABOVE_MEMBERS: "Mức của chi đoàn cao hơn kết quả đoàn viên",
    Code.FAST_ENTRY: "Nhập nhanh hơn người nhập được",
}
DISMISS_ACTION = "integrity_dismiss"


@dataclass
class Flag:
    code: str
    message: str
    dismissal: FlagDismissal | None = None

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def status_text(self) -> str:
        """ "Chưa xem xét", or who dismissed it, when and why (the page and the report say the same)."""
        d = self.dismissal
        if d is None:
            return "Chưa xem xét"
        who = (d.by.get_full_name() or d.by.username) if d.by else "(không rõ)"
        at = timezone.localtime(d.at).strftime("%d/%m/%Y %H:%M")
        return f"Đã bỏ qua bởi {who} lúc {at}: {d.reason}"


@dataclass
class Batch:
    """What one unit reported in one period, as the checks read it: counts made by the database
    (``_facts``), never its rows, so a nation's batches cost what their flags cost (issue 13)."""

    unit_name: str
    year: int
    levels: Counter = field(default_factory=Counter)  # members per level (decided, else being decided)
    scored: int = 0  # members with total points entered
    low: Decimal | None = None  # their lowest and highest total
    high: Decimal | None = None
    quarters: tuple[int, int, int, int] | None = None  # ``band_quarters`` of a narrow band's scores
    own_level: str = ""

    @property
    def members(self) -> int:
        return sum(self.levels.values())

    @classmethod
    def of(cls, unit_name: str, year: int, *, levels=(), points=(), own_level: str = "") -> "Batch":
        """The facts of a batch given its members' levels and points (bench/integrity.py's
        simulation and the tests; the app reads the facts from the database)."""
        points = [Decimal(p) for p in points]
        batch = cls(unit_name, year, Counter(levels), len(points), own_level=own_level)
        if points:
            batch.low, batch.high = min(points), max(points)
            if _band_candidate(len(points), batch.low, batch.high):
                batch.quarters = band_quarters(points)
        return batch


def _points(value: Decimal) -> str:
    """80 -> "80", 72.5 -> "72,5"."""
    return vn_int(value) if value == int(value) else vn_decimal(value)


def _level_name(code: str) -> str:
    return f"{code} ({RatingLevel(code).label.lower()})"


# ---- the checks: pure functions of a batch's facts ---------------------------------------------


def one_level(batch: Batch) -> Flag | None:
    if batch.members < MIN_BATCH or len(batch.levels) != 1:
        return None
    [level] = batch.levels
    return Flag(
        Code.ONE_LEVEL,
        f"Cả {vn_int(batch.members)} đoàn viên của {batch.unit_name} cùng một mức {_level_name(level)}: "
        "chưa thấy phân loại từng người.",
    )


def same_score(batch: Batch) -> Flag | None:
    if batch.scored < MIN_BATCH or batch.low != batch.high:
        return None
    return Flag(
        Code.SAME_SCORE,
        f"Cả {vn_int(batch.scored)} đoàn viên của {batch.unit_name} có cùng tổng điểm {_points(batch.low)}.",
    )


def cents(score: Decimal) -> int:
    """A total in hundredths of a point (points have two decimals): the band's arithmetic is on
    integers, exact and the same in Python, PostgreSQL and SQLite (which keeps points as floats)."""
    return int((Decimal(score) * 100).to_integral_value())


def band_quarters(scores: list[Decimal]) -> tuple[int, int, int, int]:
    """How many scores fall in each quarter of [min, max] (the maximum in the last): a score
    ``d`` hundredths above the minimum of a band ``w`` wide is in quarter min(⌊4d/w⌋, 3), as
    ``_FACTS_SQL`` counts it."""
    hundredths = [cents(s) for s in scores]
    low, width = min(hundredths), max(hundredths) - min(hundredths)
    counts = [0, 0, 0, 0]
    for c in hundredths:
        counts[min(4 * (c - low) // width, 3)] += 1
    return tuple(counts)


def _band_candidate(scored: int, low: Decimal, high: Decimal) -> bool:
    return scored >= MIN_SPREAD_SCORES and low < high and high - low <= BAND_MAX_WIDTH


def uniform_band(batch: Batch) -> Flag | None:
    if batch.quarters is None or not _band_candidate(batch.scored, batch.low, batch.high):
        return None
    low, high, n, quarters = batch.low, batch.high, batch.scored, batch.quarters
    if not all(QUARTER_SHARE[0] * n <= q * 100 <= QUARTER_SHARE[1] * n for q in quarters):
        return None
    return Flag(
        Code.UNIFORM_BAND,
        f"{vn_int(n)} điểm của đoàn viên {batch.unit_name} đều nằm trong khoảng {_points(low)}–"
        f"{_points(high)} (rộng {_points(high - low)} điểm) và trải đều như rút thăm ngẫu nhiên: chia khoảng "
        f"này làm 4 đoạn bằng nhau thì mỗi đoạn có {', '.join(vn_int(q) for q in quarters)} điểm "
        f"(từ {vn_rate(min(quarters), n)} đến {vn_rate(max(quarters), n)}); điểm chấm thật "
        "thường dồn về giữa.",
    )


def own_above_members(batch: Batch) -> Flag | None:
    if batch.own_level != RatingLevel.HTXSNV or batch.members < 3:
        return None
    supported = sum(batch.levels[lv] for lv in AT_LEAST_COMPLETED)
    if Decimal(supported) * 100 >= OWN_EXCELLENT_SUPPORT * batch.members:
        return None
    return Flag(
        Code.OWN_ABOVE_MEMBERS,
        f"{batch.unit_name} được xếp mức {_level_name(RatingLevel.HTXSNV)} nhưng chỉ "
        f"{vn_int(supported)}/{vn_int(batch.members)} đoàn viên ({vn_rate(supported, batch.members)}) hoàn thành "
        f"nhiệm vụ trở lên; chi đoàn HTXSNV cần từ {vn_decimal(OWN_EXCELLENT_SUPPORT)}%.",
    )


BATCH_CHECKS = (one_level, same_score, uniform_band, own_above_members)


def fast_entry(unit_name: str, times: list) -> Flag | None:
    if len(times) < FAST_MIN_ENTRIES:
        return None
    times = sorted(times)
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    median = statistics.median(gaps)
    if median >= FAST_MEDIAN_SECONDS:
        return None
    span = (times[-1] - times[0]).total_seconds()
    return Flag(
        Code.FAST_ENTRY,
        f"{vn_int(len(times))} lần nhập mức đề xuất của {unit_name} trong {vn_decimal(span)} giây, trung vị "
        f"{vn_decimal(median)} giây giữa hai lần (dưới {vn_int(FAST_MEDIAN_SECONDS)} giây: nhanh hơn người đọc "
        "và chọn từng phiếu).",
    )


@dataclass(frozen=True)
class CapYear:
    year: int
    used: int
    base: int
    allowed: int
    percent: Decimal


def cap_every_year(unit_name: str, subject_type: str, years: list[CapYear]) -> Flag | None:
    """``years``: the run at the cap ending with the batch's year, oldest first."""
    if len(years) < CAP_YEARS:
        return None
    detail = "; ".join(f"năm {y.year}: {vn_int(y.used)}/{vn_int(y.base)}, tối đa {vn_int(y.allowed)}" for y in years)
    noun = SubjectType(subject_type).label.lower()
    return Flag(
        Code.CAP_EVERY_YEAR,
        f"Số {noun} HTXSNV do {unit_name} công nhận đúng bằng chỉ tiêu {vn_int(len(years))} năm liền ({detail}; "
        f"chỉ tiêu {vn_decimal(years[-1].percent)}%).",
    )


# ---- grouped reads ------------------------------------------------------------------------------
# Every read below is grouped in the database and returns what flags (or may, for the entry times'
# exact median), so the province's or the nation's report holds in memory only its flagged
# batches, whatever the number of ratings; the queue's page of batches takes the same path.

Key = tuple[int, int]  # (period id, unit id)

# The decided level, else the one being decided (as the quota meter counts).
LEVEL = Case(
    When(status__in=Assessment.DECIDED, then=F("final_level")),
    When(final_level="", then=F("proposed_level")),
    default=F("final_level"),
    output_field=CharField(),
)
LEVELS = [lv.value for lv in RatingLevel]  # the counted levels' columns in _FACTS_SQL, in this order


def _q(text: str) -> str:
    """A constant of this module as an SQL literal (never user input)."""
    return "'" + text.replace("'", "''") + "'"


def _in(values) -> str:
    return ", ".join(_q(str(v)) for v in values)


_MEMBER = f"kind = {_q(SubjectType.MEMBER)}"
_COUNTS = [f"s.n{i}" for i in range(len(LEVELS))]
_MEMBERS = " + ".join(_COUNTS)  # every member rated: the levels are the four counted ones
_SUPPORTED = " + ".join(f"s.n{LEVELS.index(lv)}" for lv in AT_LEAST_COMPLETED)
# One row per batch: its members per level, its scores' count and range, its own level; then
# the quarters of the narrow bands only; kept where a check fires. Each condition is its check's,
# on the same constants (the checks above run again on the rows, to word the flags). Each
# filtered aggregate of ``s`` is evaluated on every row (one level column: 60–120 ms at 10⁶
# members), so ``s`` holds only what cannot be derived: the supported and member totals are sums
# of the level counts.
_FACTS_SQL = f"""
WITH r AS {{inline}} ({{rows}}),
s AS (
    SELECT p, u, year,
           {
    ", ".join(f"COUNT(*) FILTER (WHERE {_MEMBER} AND level = {_q(lv)}) AS n{i}" for i, lv in enumerate(LEVELS))
},
           COUNT(cents) FILTER (WHERE {_MEMBER}) AS scored,
           MIN(cents) FILTER (WHERE {_MEMBER}) AS low,
           MAX(cents) FILTER (WHERE {_MEMBER}) AS high,
           MAX(level) FILTER (WHERE kind NOT IN ({_in([SubjectType.MEMBER, SubjectType.COLLECTIVE])}) AND org = u)
               AS own_level
    FROM r GROUP BY p, u, year
),
band AS (
    SELECT s.p, s.u,
           {
    ", ".join(
        f"COUNT(*) FILTER (WHERE {k} * (s.high - s.low) <= 4 * (r.cents - s.low)"
        + (f" AND 4 * (r.cents - s.low) < {k + 1} * (s.high - s.low)" if k < 3 else "")
        + f") AS q{k}"
        for k in range(4)
    )
}
    FROM s JOIN r ON r.p = s.p AND r.u = s.u
    WHERE r.{_MEMBER} AND r.cents IS NOT NULL AND s.scored >= {MIN_SPREAD_SCORES} AND s.low < s.high
      AND s.high - s.low <= {BAND_MAX_WIDTH * 100}
    GROUP BY s.p, s.u
)
SELECT s.p, s.u, s.year, {", ".join(_COUNTS)}, s.scored, s.low, s.high, s.own_level,
       band.q0, band.q1, band.q2, band.q3
FROM s LEFT JOIN band ON band.p = s.p AND band.u = s.u
WHERE ({_MEMBERS} >= {MIN_BATCH} AND ({_MEMBERS}) IN ({", ".join(_COUNTS)}))
   OR (s.scored >= {MIN_BATCH} AND s.low = s.high)
   OR ({
    " AND ".join(
        f"band.q{k} * 100 BETWEEN {QUARTER_SHARE[0]} * s.scored AND {QUARTER_SHARE[1]} * s.scored" for k in range(4)
    )
})
   OR (s.own_level = {_q(RatingLevel.HTXSNV)} AND ({_MEMBERS}) >= 3
       AND ({_SUPPORTED}) * 100 < {OWN_EXCELLENT_SUPPORT} * ({_MEMBERS}))
"""


def _rows(scope: Q):
    """The sent ratings ``scope`` selects, as the facts read them (one column each)."""
    return (
        Assessment.objects.filter(scope, status__in=SENT)
        .order_by()
        .values(
            p=F("period_id"),
            u=F("unit_id"),
            year=F("period__year"),
            kind=F("subject_type"),
            org=F("organization_id"),
            level=LEVEL,
            cents=Cast(Round(F("points") * 100), BigIntegerField()),
        )
    )


def _hundredths(value) -> Decimal | None:
    return None if value is None else Decimal(int(value)).scaleb(-2)


def _facts(scope: Q) -> dict[Key, Batch]:
    """The batches some batch check flags (one query), without their unit names yet."""
    sql, params = _rows(scope).query.sql_with_params()
    out: dict[Key, Batch] = {}
    with connection.cursor() as cursor:
        # PostgreSQL would write the rows out (a CTE read twice); inlined, the band's second read
        # runs only for the narrow bands (bench/reports.py: 2.9 s -> … at 10⁶ members)
        inline = "NOT MATERIALIZED" if connection.vendor == "postgresql" else ""
        cursor.execute(_FACTS_SQL.replace("{inline}", inline).replace("{rows}", sql), params)
        for p, u, year, *rest in cursor.fetchall():
            counts, (scored, low, high, own, *quarters) = rest[: len(LEVELS)], rest[len(LEVELS) :]
            out[(p, u)] = Batch(
                "",
                year,
                Counter({lv: n for lv, n in zip(LEVELS, counts, strict=True) if n}),
                scored,
                _hundredths(low),
                _hundredths(high),
                None if quarters[0] is None else tuple(quarters),
                own or "",
            )
    return out


def _seconds_since_previous() -> str:
    if connection.vendor == "postgresql":
        return "EXTRACT(EPOCH FROM (at - prev))"
    return "(julianday(at) - julianday(prev)) * 86400.0"  # SQLite keeps datetimes as ISO text


def _fast_candidates(scope: Q) -> set[Key]:
    """Batches whose members' proposals were entered at least half of the time under
    ``FAST_MEDIAN_SECONDS`` apart (the median gap cannot be under it otherwise), from
    ``FAST_MIN_ENTRIES`` entries: one grouped query; ``fast_entry`` then takes their exact median.
    A millisecond of slack keeps the float arithmetic of SQLite on the safe side."""
    a = Assessment._meta.db_table
    rated = Assessment.objects.filter(scope, status__in=SENT, subject_type=SubjectType.MEMBER).order_by()
    rated_sql, rated_params = rated.values("pk").query.sql_with_params()
    sql = f"""
        WITH e AS (
            SELECT a.period_id AS p, a.unit_id AS u, x.at AS at,
                   LAG(x.at) OVER (PARTITION BY a.period_id, a.unit_id ORDER BY x.at) AS prev
            FROM {AuditEntry._meta.db_table} x JOIN {a} a ON a.id = x.object_id
            WHERE x.content_type_id = (SELECT id FROM {ContentType._meta.db_table} WHERE app_label = %s AND model = %s)
              AND x.action = %s AND x.object_id IN ({rated_sql})
        )
        SELECT p, u FROM e GROUP BY p, u
        HAVING COUNT(*) >= {FAST_MIN_ENTRIES}
           AND 2 * COUNT(*) FILTER (WHERE {_seconds_since_previous()} < {FAST_MEDIAN_SECONDS + 0.001})
               >= COUNT(*) - 1
    """
    meta = Assessment._meta  # its content type read in the statement: no query more, cached or not
    with connection.cursor() as cursor:
        cursor.execute(sql, [meta.app_label, meta.model_name, "propose", *rated_params])
        return {(p, u) for p, u in cursor.fetchall()}


def _entry_times(scope: Q) -> dict[Key, list]:
    """When each member's proposal in ``scope`` was entered: the audit's "propose" entries, per
    unit (two queries; called for the few batches ``_fast_candidates`` found)."""
    rated = Assessment.objects.filter(scope, status__in=SENT, subject_type=SubjectType.MEMBER).order_by()
    members = {pk: (p, u) for pk, p, u in rated.values_list("pk", "period_id", "unit_id")}
    rows = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Assessment),
            action="propose",
            object_id__in=rated.values("pk"),
        )
        .values_list("object_id", "at")
        .order_by()
    )
    times: dict[Key, list] = defaultdict(list)
    for object_id, at in rows:
        if object_id in members:
            times[members[object_id]].append(at)
    return times


def _keys_scope(keys) -> Q:
    """The batches ``keys`` (a superset: periods × units, narrowed by the caller)."""
    return Q(period_id__in={p for p, _ in keys}, unit_id__in={u for _, u in keys})


CapCounts = dict[tuple[int, int, str], tuple[int, int, int]]  # (year, decider, type): rated, good+, excellent


def _decider_counts(where: Q, years) -> CapCounts:
    """Per (year, deciding unit, type) of the ratings ``where`` selects: every rating (the quota's
    base counts drafts too), those at good or better (decided level, else proposed) and the
    excellent ones decided or being decided (one grouped query)."""

    def level_in(levels) -> Q:
        return Q(final_level__in=levels) | Q(final_level="", proposed_level__in=levels)

    is_excellent = Q(status__in=SENT) & level_in([RatingLevel.HTXSNV])
    rows = (
        Assessment.objects.filter(where, period__year__in=list(years))
        .values_list("period__year", "approving_unit_id", "subject_type")
        .annotate(
            n=Count("pk"),
            good=Count("pk", filter=level_in(GOOD_OR_BETTER)),
            excellent=Count("pk", filter=is_excellent),
        )
        .order_by()
    )
    return {(y, u, k): (n, good, ex) for y, u, k, n, good, ex in rows}


class CapHistory:
    """Excellent counts against the quota per deciding unit and subject type, year after year.
    The year's counts come from the caller's grouped read; the earlier years are read only for
    the pairs at the cap this year (most are not), in one query; then the periods, and the
    policies through one ``PolicyBook``."""

    def __init__(self, year: int, counts: CapCounts, units: dict[int, Organization]):
        self.year, self.counts, self.units = year, dict(counts), units
        self.years = list(range(year - CAP_LOOKBACK + 1, year + 1))
        self.periods = list(RatingPeriod.objects.filter(year__in=self.years).select_related("root"))
        self.book = PolicyBook()

    def at_cap(self, pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], Flag]:
        """The flag of each (deciding unit, type) pair whose run at the cap is long enough."""
        now = {(u, k) for u, k in pairs if u in self.units and self._at_cap(self.units[u], k, self.year)}
        if now:
            earlier = Q(approving_unit_id__in={u for u, _ in now}, subject_type__in={k for _, k in now})
            self.counts.update(_decider_counts(earlier, self.years[:-1]))
        return {pair: flag for pair in now if (flag := self._flag(*pair))}

    def _period(self, unit: Organization, year: int) -> RatingPeriod | None:
        """The period of ``year`` issued nearest above the unit (as ``rules.period_for``)."""
        covering = [p for p in self.periods if p.year == year and unit.path.startswith(p.root.path)]
        return max(covering, key=lambda p: p.root.depth, default=None)

    def _at_cap(self, unit: Organization, kind: str, year: int) -> CapYear | None:
        counts = self.counts.get((year, unit.pk, kind))
        period = self._period(unit, year)
        if counts is None or period is None:
            return None
        eff = self.book.effective(period, unit, kind)
        if eff.quota_percent is None:
            return None
        n, good, used = counts
        all_rated = eff.quota_basis != RatingPolicy.QuotaBasis.GOOD_OR_BETTER
        base = n if all_rated else good
        if all_rated and kind == SubjectType.MEMBER and year == self.year:
            # This year's quota also counts the eligible members not yet entered (quota meter):
            # the unit's roll bounds them, so "at the cap" is never claimed below the real one.
            base = max(n, unit.members_total)
        allowed = math.floor(base * eff.quota_percent / 100)
        if allowed < CAP_MIN_ALLOWED or used != allowed:
            return None
        return CapYear(year, used, base, allowed, eff.quota_percent)

    def _flag(self, unit_id: int, kind: str) -> Flag | None:
        unit = self.units[unit_id]
        run: list[CapYear] = []
        for year in reversed(self.years):
            at = self._at_cap(unit, kind, year)
            if at is None:
                break
            run.insert(0, at)
        return cap_every_year(unit.name, kind, run)


def _excellent(scope: Q):
    """The sent HTXSNV ratings ``scope`` selects (decided, else being decided)."""
    return Assessment.objects.filter(scope, status__in=SENT).alias(lv=LEVEL).filter(lv=RatingLevel.HTXSNV).order_by()


def _year_counts(scope: Q) -> dict[int, tuple[set[tuple[int, str]], CapCounts, dict[int, Organization]]]:
    """Per year of ``scope``'s batches: the (deciding unit, type) pairs of its HTXSNV ratings (one
    grouped query, as many rows as deciders), their counts of that year and the deciders."""
    pairs: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for year, decider, kind in (
        _excellent(scope).values_list("period__year", "approving_unit_id", "subject_type").distinct()
    ):
        pairs[year].add((decider, kind))
    out = {}
    for year, year_pairs in pairs.items():
        deciders, kinds = {u for u, _ in year_pairs}, {k for _, k in year_pairs}
        counts = _decider_counts(Q(approving_unit_id__in=deciders, subject_type__in=kinds), [year])
        out[year] = (year_pairs, counts, Organization.objects.in_bulk(deciders))
    return out


def _subtree_year_counts(scope: Q, root: Organization, year: int) -> dict[int, tuple]:
    """``_year_counts`` of ``scope``, the batches under ``root`` in ``year``, in one pass over its
    ratings instead of two (the pairs, then the nation's deciders' counts: 0,25–0,34 + 0,49–0,54 s
    at 10⁶ members): a decider inside the subtree rates nothing outside it, so the subtree's counts
    are its whole counts; only the few deciders above ``root`` are counted again, over all they rate."""
    counts = _decider_counts(scope, [year])
    pairs = {(u, k) for (_, u, k), (_, _, excellent) in counts.items() if excellent}
    if not pairs:
        return {}
    units = Organization.objects.in_bulk({u for u, _ in pairs})
    above = {pk for pk, unit in units.items() if not unit.path.startswith(root.path)}
    if above:
        counts.update(_decider_counts(Q(approving_unit_id__in=above), [year]))
    return {year: (pairs, counts, units)}


def _cap_flags(scope: Q, subtree: tuple[Organization, int] | None = None) -> dict[Key, list[Flag]]:
    """``cap_every_year`` on the batches whose HTXSNV ratings fill a quota at its cap: the pairs
    and counts of each year (``_year_counts``, or ``_subtree_year_counts`` for a report), their
    history (``CapHistory``), then the batches of the pairs at the cap only."""
    out: dict[Key, list[Flag]] = defaultdict(list)
    years = _subtree_year_counts(scope, *subtree) if subtree else _year_counts(scope)
    for year, (pairs, counts, units) in years.items():
        at_cap = CapHistory(year, counts, units).at_cap(pairs)
        if not at_cap:
            continue
        rows = (
            _excellent(scope & Q(period__year=year, approving_unit_id__in={u for u, _ in at_cap}))
            .values_list("period_id", "unit_id", "approving_unit_id", "subject_type")
            .distinct()
            .order_by("period_id", "unit_id", "approving_unit_id", "subject_type")
        )
        for period_id, unit_id, decider, kind in rows:
            if (decider, kind) in at_cap:  # a flag of its own per batch: its dismissal is the batch's
                out[(period_id, unit_id)].append(replace(at_cap[(decider, kind)]))
    return out


def _flags(scope: Q, subtree: tuple[Organization, int] | None = None) -> dict[Key, list[Flag]]:
    """Every check over the units ``scope`` selects (a Q over Assessment; ``subtree``: the (root,
    year) it stands for, when it is a report's), per (period, unit): a fixed number of grouped
    queries, and memory for the flagged batches only."""
    facts = _facts(scope)
    fast = _fast_candidates(scope)
    times = _entry_times(scope & _keys_scope(fast)) if fast else {}
    caps = _cap_flags(scope, subtree)
    units = {u for _, u in (*facts, *fast, *caps)}
    names = dict(Organization.objects.filter(pk__in=units).values_list("pk", "name")) if units else {}
    flags: dict[Key, list[Flag]] = defaultdict(list)
    for key, batch in facts.items():
        batch.unit_name = names[key[1]]
        flags[key] += [f for f in (check(batch) for check in BATCH_CHECKS) if f]
    for key in sorted(fast):
        found = fast_entry(names[key[1]], times.get(key, []))
        if found:
            flags[key].append(found)
    for key, found in caps.items():
        flags[key] += found
    return {k: v for k, v in flags.items() if v}


def _attach_dismissals(flags: list[Flag], dismissals: dict[str, FlagDismissal]) -> list[Flag]:
    for flag in flags:
        flag.dismissal = dismissals.get(flag.code)
    return flags


def _dismissals(submission_ids: Iterable[int]) -> dict[int, dict[str, FlagDismissal]]:
    out: dict[int, dict[str, FlagDismissal]] = defaultdict(dict)
    for d in FlagDismissal.objects.filter(submission_id__in=list(submission_ids)).select_related("by"):
        out[d.submission_id][d.code] = d
    return out


def batch_flags(submissions: list[Submission]) -> dict[int, list[Flag]]:
    """Flags of the given batches (the approval queue), keyed by submission id, with their
    dismissals; a fixed number of queries whatever the number of batches."""
    if not submissions:
        return {}
    by_key = {(s.period_id, s.unit_id): s.pk for s in submissions}
    periods = {s.period_id for s in submissions}
    scope = Q(period_id__in=periods, unit_id__in={s.unit_id for s in submissions})
    found = {by_key[k]: v for k, v in _flags(scope).items() if k in by_key}
    dismissed = _dismissals(found)
    return {pk: _attach_dismissals(flags, dismissed.get(pk, {})) for pk, flags in found.items()}


@dataclass
class UnitFlags:
    unit: Organization
    submission_id: int | None
    flags: list[Flag]


def subtree_flags(*, root: Organization, year: int) -> list[UnitFlags]:
    """Flags of every unit that reported for ``year`` under ``root`` (the province's report), in
    tree order; units without a batch (ratings imported) are checked too, with nothing to dismiss."""
    scope = Q(period__year=year, unit__path__startswith=root.path)
    found = _flags(scope, (root, year))
    if not found:
        return []
    units = Organization.objects.in_bulk({k[1] for k in found})
    batches = dict(
        Submission.objects.filter(period_id__in={k[0] for k in found}, unit_id__in=units).values_list("unit_id", "pk")
    )
    dismissed = _dismissals(batches.values())
    out = [
        UnitFlags(
            units[unit_id], batches.get(unit_id), _attach_dismissals(flags, dismissed.get(batches.get(unit_id), {}))
        )
        for (_, unit_id), flags in found.items()
    ]
    return sorted(out, key=lambda u: u.unit.path)


# ---- the approver's dismissal ---------------------------------------------------------------------


@transaction.atomic
def dismiss_flag(*, submission: Submission, code: str, by, reason: str) -> FlagDismissal:
    """The approver sets a flag aside ("bỏ qua") with a reason: the flag stays shown, as dismissed,
    with who and why; the decision is theirs either way. Only who may decide the batch
    (``rules.can_review``), as for its approval."""
    if not rules.can_review(by, submission):
        raise ValidationError("Chỉ người xét duyệt hồ sơ này mới bỏ qua dấu hiệu được.")
    reason = clean_text(reason, multiline=True)  # only invisible characters: no reason
    if not reason:
        raise ValidationError("Cần ghi lý do bỏ qua dấu hiệu.")
    current = {f.code: f for f in batch_flags([submission]).get(submission.pk, [])}
    flag = current.get(code)
    if flag is None:
        raise ValidationError(f"Hồ sơ của {submission.unit.name} không có dấu hiệu “{LABELS.get(code, code)}”.")
    if flag.dismissal is not None:
        raise ValidationError(f"Dấu hiệu “{flag.label}” của {submission.unit.name} đã được bỏ qua.")
    try:
        with transaction.atomic():
            dismissal = FlagDismissal.objects.create(
                submission=submission, code=code, message=flag.message, reason=reason, by=by
            )
    except IntegrityError as exc:  # a second approver at the same moment
        raise ValidationError(f"Dấu hiệu “{flag.label}” của {submission.unit.name} đã được bỏ qua.") from exc
    record(
        target=submission,
        action=DISMISS_ACTION,
        by=by,
        organization=submission.unit,
        from_state=flag.label,
        to_state="Đã bỏ qua",
        reason=f"{reason} (dấu hiệu: {flag.message})",
    )
    return dismissal
