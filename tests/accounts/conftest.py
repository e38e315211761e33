"""Helpers for the account tests: a TOTP code computed here, from the key the page shows, by
RFC 6238 itself (not by django-otp, whose check is what is under test)."""

import hmac
import re
import struct
import time
from base64 import b32decode

import pytest
from django.urls import reverse


def totp(secret: str, *, at: float | None = None, step: int = 30) -> str:
    key = b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), "sha1").digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def next_code(secret: str) -> str:
    """The code of the next 30-second step: within django-otp's tolerance of one step, and never
    one already spent in this step (a code is accepted once)."""
    return totp(secret, at=time.time() + 30)


@pytest.fixture
def enable_second_factor(client):
    """``enable_second_factor(user)`` sets it up through the profile pages, as the user would, and
    returns the key shown; the client is logged out again after."""

    def _enable(user) -> str:
        client.force_login(user)
        client.post(reverse("accounts:second_factor_start"))
        page = client.get(reverse("accounts:second_factor_setup")).content.decode()
        secret = re.search(r'data-testid="secret">([A-Z2-7]+)<', page).group(1)
        response = client.post(reverse("accounts:second_factor_setup"), {"code": totp(secret)})
        assert response.status_code == 302, response.content.decode()
        client.logout()
        return secret

    return _enable
