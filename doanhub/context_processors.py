from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

# Each app's menu entry appears once the app defines its "<app>:index" page.
NAV = (
    ("members:index", "Đoàn viên"),
    ("evaluations:index", "Xếp loại"),
    ("recognition:index", "3 chủ động"),
    ("fieldwork:index", "Đi cơ sở 1+2"),
    ("reports:index", "Báo cáo"),
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
    entries = []
    for name, label in NAV:
        try:
            entries.append({"url": reverse(name), "label": _(label)})
        except NoReverseMatch:
            continue
    return {"nav_entries": entries, "unit_links": [{"name": n, "label": _(label)} for n, label in UNIT_LINKS]}
