"""Where DOANHUB_REQUIRE_2FA_ROLES lists a role, its holders set up the second factor first."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor

# Pages a required user may still open: setting it up, leaving, and the site's plumbing.
OPEN_PREFIXES = ("/tai-khoan/", "/dang-xuat/", "/static/", "/healthz", "/i18n/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            messages.warning(
                request,
                "Vai trò của bạn bắt buộc xác thực hai bước: hãy bật xác thực hai bước trước khi tiếp tục.",
            )
            return redirect(reverse("accounts:profile"))
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request) -> bool:
        # No setting, no query: the default site pays nothing for this check.
        if not settings.DOANHUB_REQUIRE_2FA_ROLES or not request.user.is_authenticated:
            return False
        if request.path.startswith(OPEN_PREFIXES):
            return False
        return second_factor.is_required(request.user) and second_factor.device_of(request.user) is None
