"""What django-axes calls to find a person's address and to answer a locked-out login."""

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def client_ip(request) -> str:
    """The address the lockout counts: REMOTE_ADDR, or behind DOANHUB_TRUSTED_PROXIES proxies the
    entry they appended to X-Forwarded-For (entries to its left are whatever the client sent)."""
    proxies = settings.DOANHUB_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_message(username: str) -> str:
    minutes = int(get_cool_off().total_seconds() // 60)
    return (
        f"Tài khoản “{username}” đã bị tạm khóa đăng nhập từ máy này vì nhập sai mật khẩu "
        f"{settings.AXES_FAILURE_LIMIT} lần. Vui lòng thử lại sau {minutes} phút, "
        "hoặc dùng “Quên mật khẩu” để đặt lại."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout named in Vietnamese (429 Too Many Requests)."""
    username = get_client_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "lockout": lockout_message(username), "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
