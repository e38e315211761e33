"""The 400/403/404 pages: the site's own layout, in Vietnamese, with the way home (500.html is a
plain template: Django renders it with no request context). A message of ours (Vietnamese: "Không
tìm thấy đơn vị trong phạm vi của bạn.") is shown; Django's own (English, or the URL patterns
tried) never is."""

from django.shortcuts import render


def _ours(exception) -> str:
    message = str(exception or "")
    return "" if message.isascii() or message.startswith("{") else message


def _page(template: str, status: int):
    def view(request, exception=None):
        return render(request, template, {"message": _ours(exception)}, status=status)

    return view


bad_request = _page("400.html", 400)
permission_denied = _page("403.html", 403)
page_not_found = _page("404.html", 404)
