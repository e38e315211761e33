"""Reads of members, transfers and cadres, scoped to a user.

Rosters are paged by keyset (tên, họ đệm, id) and counted with a cap, so a province of millions of
members costs the same few queries as a chi đoàn of ten (DESIGN.md: never count per row)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import In
from django.http import Http404
from django.utils import timezone

from organizations.collation import after_person, person_order
from organizations.models import Organization
from organizations.scoping import get_scoped_or_404, scope_q, scoped
from organizations.text import fold

from .models import ON_ROLL, CadreAgeLimit, Member, MemberEvent, MemberPosition, Transfer
from .permissions import personal_data_q
from .validation import years_before

AGE_BANDS = {  # key: (label, youngest, oldest)
    "16-18": ("16–18 tuổi", 16, 18),
    "19-24": ("19–24 tuổi", 19, 24),
    "25-30": ("25–30 tuổi", 25, 30),
    "31-35": ("31–35 tuổi", 31, 35),
    "tren-35": ("trên 35 tuổi", 36, 150),
}
STATUS_CHOICES = [("", "Đang sinh hoạt (kể cả đang chuyển đi)"), *Member.Status.choices, ("all", "Tất cả")]
COUNT_CAP = 10_000


def members_under(org: Organization) -> QuerySet:
    """Every member record of ``org``'s subtree (a chi đoàn: its own roster, by the branch index)."""
    if org.level.is_branch:
        return Member.objects.filter(branch=org)
    return Member.objects.filter(branch__path__startswith=org.path)


def roster(
    org: Organization,
    *,
    q: str = "",
    age: str = "",
    gender: str = "",
    status: str = "",
    post: str = "",
    today: date | None = None,
    user=None,
) -> QuerySet:
    """The filtered roster of a unit; the search ignores diacritics (name_folded). A number is
    looked for as a card number, and as a CCCD or phone only on the rows whose personal data
    ``user`` may see (members.permissions; None: the command line, every row)."""
    qs = members_under(org)
    if status != "all":
        qs = qs.filter(status=status) if status in Member.Status.values else qs.filter(status__in=ON_ROLL)
    if gender in Member.Gender.values:
        qs = qs.filter(gender=gender)
    if age in AGE_BANDS:
        _, youngest, oldest = AGE_BANDS[age]
        today = today or timezone.localdate()
        # age >= youngest  <=> born on or before today-youngest; age <= oldest <=> born after today-(oldest+1)
        qs = qs.filter(birth_date__lte=years_before(today, youngest), birth_date__gt=years_before(today, oldest + 1))
    if post:
        open_posts = MemberPosition.objects.filter(member=OuterRef("pk"), until__isnull=True)
        if post != "any":
            open_posts = open_posts.filter(title=post)
        qs = qs.filter(Exists(open_posts))
    query = q.strip()
    if query.isdigit():
        personal = (Q(citizen_id=query) | Q(phone=query)) & personal_data_q(user)
        qs = qs.filter(Q(card_number=query) | personal)
    else:
        for word in fold(query).split():
            qs = qs.filter(name_folded__contains=word)
    return qs.order_by(*name_order(query))


def name_order(q: str = "") -> tuple:
    """The roster's order: tên, then họ đệm, in natural Vietnamese order, then id
    (organizations.collation.person_order). Under a name search the keys are expressions equal to
    the indexed ones, not them: else the planner walks the whole name index in order hoping to
    meet the matches early, and they cluster (600,000 rows filtered at 10⁶ members, issue 13).
    This way it takes the matches from the unit's chi đoàn or the trigram index, whichever is
    fewer, and sorts only them. Same order, so paging still works."""
    return (*person_order(unindexed=bool(q) and not q.isdigit()), "pk")


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None
    is_first: bool
    total: int  # capped at COUNT_CAP
    more_than_cap: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _cursor_filter(cursor: str) -> Q | None:
    name, _, pk = cursor.rpartition("~")
    if not pk.isdigit():
        return None
    return after_person(name, int(pk))


def keyset_page(qs: QuerySet, *, cursor: str = "", per_page: int = 50, total: int | None = None) -> KeysetPage:
    """One page after ``cursor`` in ``name_order`` (``roster``'s, or that one): two queries
    however deep the page, one when the first page holds every match (a narrow search: its rows
    are the count)."""
    page_qs = qs if qs.query.order_by else qs.order_by(*name_order())
    where = _cursor_filter(cursor) if cursor else None
    if where is not None:
        page_qs = page_qs.filter(where)
    rows = list(page_qs.select_related("branch")[: per_page + 1])
    if total is None and where is None and len(rows) <= per_page:
        total = len(rows)
    if total is None:
        total = qs.order_by()[: COUNT_CAP + 1].count()  # unordered: a capped count needs no sort
    more = total > COUNT_CAP
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = f"{rows[-1].full_name}~{rows[-1].pk}"
    return KeysetPage(rows, next_cursor, where is None, min(total, COUNT_CAP), more)


def member_for(user, pk: int) -> Member:
    """A member whose chi đoàn lies in the user's scope, or 404."""
    qs = Member.objects.select_related("branch", "branch__level", "updated_by")
    return get_scoped_or_404(user, qs, "branch__path", pk=pk)


def history(member: Member) -> QuerySet:
    return MemberEvent.objects.filter(member=member).select_related("from_branch", "to_branch", "by")


def positions(member: Member) -> QuerySet:
    return MemberPosition.objects.filter(member=member).select_related("unit")


def pending_in(user) -> QuerySet:
    """Pending transfers INTO the user's chi đoàn: the member is still outside the user's scope,
    so these are found by the receiving branch's path, not the member's."""
    qs = Transfer.objects.filter(status=Transfer.Status.PENDING)
    return scoped(user, qs, "to_branch__path").select_related("member", "from_branch", "to_branch", "requested_by")


def pending_out(user) -> QuerySet:
    qs = Transfer.objects.filter(status=Transfer.Status.PENDING)
    return scoped(user, qs, "from_branch__path").select_related("member", "from_branch", "to_branch", "requested_by")


def transfer_for(user, pk: int) -> Transfer:
    """A transfer seen from either end (sending or receiving side), or 404."""
    qs = Transfer.objects.filter(scope_q(user, "to_branch__path") | scope_q(user, "from_branch__path"))
    transfer = qs.select_related("member", "from_branch__level", "to_branch__level").filter(pk=pk).first()
    if transfer is None:
        raise Http404("Không tìm thấy đề nghị chuyển sinh hoạt trong phạm vi của bạn.")
    return transfer


class _AmongFew(In):
    """``field IN (subquery)`` for a subquery known to return few rows. PostgreSQL is told so by
    ``= ANY(ARRAY(subquery))``: it runs the subquery once and probes the field's index with the
    result, where a plain IN lets it hash-join the whole outer table (issue 13: every open post of
    the scope was read to find the 40 held by the 964 members past the age limits)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def _over_age_q(today: date) -> Q:
    """Cadres older than any age limit that applies to their title and unit (a subtree's own row
    can only add a stricter test: the national row keeps applying, so nothing loosens).

    Rules sharing a cut-off date and a subtree are one test (titles and levels as IN lists): the
    statute's 24 rows are 3 tests, and planning the query no longer costs more than running it."""
    rules: dict[tuple, set[tuple[str, int]]] = defaultdict(set)
    for limit in CadreAgeLimit.objects.select_related("organization"):
        where = limit.organization.path if limit.organization_id else None
        rules[(years_before(today, limit.max_age_holding + 1), where)].add((limit.title, limit.level_id))
    if not rules:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for (cut, where), pairs in rules.items():
        q |= _pairs_q(pairs) & Q(member__birth_date__lte=cut) & (Q(unit__path__startswith=where) if where else Q())
    # Implied by the rules, stated once: the database starts from the few members that old (the
    # birth date index) instead of from every open post of the scope.
    old = Member.objects.filter(birth_date__lte=max(cut for cut, _ in rules), status__in=ON_ROLL).values("pk")
    return q & Q(_AmongFew(F("member_id"), old))


def _pairs_q(pairs: set[tuple[str, int]]) -> Q:
    """(title, level) pairs as few IN tests: the levels sharing one set of titles together."""
    titles_by_level: dict[int, set[str]] = defaultdict(set)
    for title, level_id in pairs:
        titles_by_level[level_id].add(title)
    levels_by_titles: dict[frozenset, list[int]] = defaultdict(list)
    for level_id, titles in titles_by_level.items():
        levels_by_titles[frozenset(titles)].append(level_id)
    q = Q(pk__in=[])
    for titles, level_ids in levels_by_titles.items():
        q |= Q(title__in=sorted(titles), unit__level_id__in=sorted(level_ids))
    return q


def over_age_cadres(org: Organization, *, today: date | None = None) -> QuerySet:
    """Open posts under ``org`` whose holders are past the statute's age while holding."""
    qs = MemberPosition.objects.filter(until__isnull=True, unit__path__startswith=org.path, member__status__in=ON_ROLL)
    return qs.filter(_over_age_q(today or timezone.localdate())).select_related("member", "unit", "unit__level")


def over_age_in_scope(user, *, today: date | None = None) -> QuerySet:
    qs = MemberPosition.objects.filter(until__isnull=True, member__status__in=ON_ROLL)
    return scoped(user, qs, "unit__path").filter(_over_age_q(today or timezone.localdate()))


def limits_for(unit: Organization) -> list[CadreAgeLimit]:
    """The limits that apply at ``unit`` (national rows and rows of its ancestors)."""
    paths = [*unit.ancestor_paths(), unit.path]
    return list(
        CadreAgeLimit.objects.filter(level_id=unit.level_id)
        .filter(Q(organization__isnull=True) | Q(organization__path__in=paths))
        .order_by("title", "max_age_holding")
    )
