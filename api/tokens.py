"""Personal API tokens: create (the secret shown once), revoke, and look one up by its secret.

Only ``sha256(secret)`` is stored: a fast hash is enough for 256 random bits (no dictionary to
guess from), and it lets a request find its token by one indexed lookup."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from organizations import audit
from organizations.text import is_blank

from .models import ApiToken

SECRET_PREFIX = "dh_"
NAME_REQUIRED = "Cần đặt tên cho mã truy cập (để nhận ra nó khi thu hồi)."
DAYS_REQUIRED = "Cần ghi thời hạn của mã truy cập, tính bằng ngày."


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """The user makes a token for one of their tools; returns it and its secret (never kept)."""
    if is_blank(name):
        raise ValidationError({"name": NAME_REQUIRED})
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": f"Thời hạn phải từ 1 đến {settings.API_TOKEN_MAX_DAYS} ngày."})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=digest(secret),
        prefix=secret[:10],
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(target=token, action="api_token_created", by=user, to_state=f"hết hạn {token.expires_at:%d/%m/%Y}")
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> None:
    """Only its owner revokes a token; revoking twice changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied("Chỉ người tạo mã truy cập mới thu hồi được mã đó.")
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(target=token, action="api_token_revoked", by=by, from_state="active", to_state="revoked")


def active_token(secret: str) -> ApiToken | None:
    """The token a request presents, when it is neither revoked nor expired; marks it used."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user)
