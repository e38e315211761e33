from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from organizations.scoping import open_posts


def _anyone(levels) -> bool:
    return True


def _beyond_plain_branches(levels) -> bool:
    """ "3 chủ động" is the tổ chức cơ sở Đoàn's (it registers) and the levels' above it (they
    follow and decide): a post at a plain chi đoàn has nothing there."""
    return any(not (lv.is_branch and not lv.is_grassroots) for lv in levels)


def _above_grassroots(levels) -> bool:
    """ "1+2" plans are the province's and district's staff's; a tổ chức cơ sở Đoàn or a chi đoàn
    is visited, and reaches its visits from its unit page and its inbox, not from an empty dashboard."""
    return any(not (lv.is_branch or lv.is_grassroots) for lv in levels)


# Each app's menu entry appears once the app defines its "<app>:index" page, to the users whose
# posts give them work there (judged from the levels' flags of the posts already loaded for the
# navigation bar: no query more). The pages themselves still scope what they show.
NAV = (
    ("members:index", "Đoàn viên", _anyone),
    ("evaluations:index", "Xếp loại", _anyone),
    ("recognition:index", "3 chủ động", _beyond_plain_branches),
    ("fieldwork:index", "Đi cơ sở 1+2", _above_grassroots),
    ("reports:index", "Báo cáo", _anyone),
)


# Pages about one unit that other apps offer, linked from the unit's page in the tree (the
# organizations app knows no other app; the project wires them together here).
UNIT_LINKS = (
    ("members:unit", "Đoàn viên"),
    ("members:overage", "Cán bộ quá tuổi"),
    ("fieldwork:unit_visits", "Cán bộ tỉnh đến làm việc"),
)


def nav(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = request.user
    levels = [post.organization.level for post in open_posts(user)]
    entries = []
    for name, label, shown_to in NAV:
        if not (user.is_superuser or shown_to(levels)):
            continue
        try:
            entries.append({"url": reverse(name), "label": _(label)})
        except NoReverseMatch:
            continue
    return {"nav_entries": entries, "unit_links": [{"name": n, "label": _(label)} for n, label in UNIT_LINKS]}
