"""The account's own email address: where a password reset link goes."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from organizations import audit


@transaction.atomic
def change_email(*, user, email: str, password: str):
    """Đổi email: asks the current password, so a session left open cannot redirect the reset link."""
    if not user.check_password(password):
        raise ValidationError("Mật khẩu hiện tại không đúng: email chưa được đổi.")
    email = get_user_model().objects.normalize_email(email.strip())
    if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError(f"Email {email} đã thuộc một tài khoản khác.")
    old = user.email
    user.email = email
    user.save(update_fields=["email"])
    audit.record(target=user, action="email", by=user, from_state=old, to_state=email)
    return user
