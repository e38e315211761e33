"""The login between its two steps: the password was right, the second-factor code is awaited.

The user is not logged in yet; the session only remembers who passed the password, through which
backend, where to go next, and when (a held login expires after HOLD_SECONDS). A wrong code is a
failed login for django-axes, so guessing codes locks the account like guessing passwords."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model, login
from django.contrib.auth.signals import user_login_failed

from . import second_factor

KEY = "accounts.pending_login"
HOLD_SECONDS = 300


def hold(request, user, next_url: str) -> None:
    request.session.cycle_key()  # a fresh session id once the password is proved
    request.session[KEY] = {"user": user.pk, "backend": user.backend, "next": next_url, "at": time.time()}


def held(request):
    """(user, device, next_url) of the login waiting for its code, or None."""
    data = request.session.get(KEY)
    if not data or time.time() - data["at"] > HOLD_SECONDS:
        request.session.pop(KEY, None)
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    device = second_factor.device_of(user) if user else None
    if device is None:
        request.session.pop(KEY, None)
        return None
    return user, device, data["next"]


def is_locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def finish(request, user, device, code: str) -> bool:
    """Log the user in when the code is right; otherwise count a failed login."""
    if not second_factor.check_code(device, code):
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        return False
    backend = request.session.pop(KEY)["backend"]
    login(request, user, backend=backend)
    return True
