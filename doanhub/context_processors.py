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


def nav(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    entries = []
    for name, label in NAV:
        try:
            entries.append({"url": reverse(name), "label": _(label)})
        except NoReverseMatch:
            continue
    return {"nav_entries": entries}
