"""The optional second factor (a TOTP app on the phone) for approver and administrator posts:
who may and who must use it, setting it up, checking a code, and resetting it.

Every change here is audited (organizations.audit) and permission-checked, like any service."""

from base64 import b32encode

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations import audit
from organizations.models import Post
from organizations.scoping import has_role_above, open_posts
from organizations.text import is_blank

Role = Post.Role
# The posts that approve and administer: a stolen password there changes other units' results.
SECOND_FACTOR_ROLES = frozenset({Role.APPROVER, Role.ADMIN})
DEVICE_NAME = "Ứng dụng xác thực"
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn: nhập 6 chữ số đang hiện trong ứng dụng xác thực."


def may_use(user) -> bool:
    return user.is_superuser or any(p.role in SECOND_FACTOR_ROLES for p in open_posts(user))


def is_required(user) -> bool:
    """DOANHUB_REQUIRE_2FA_ROLES lists the roles that must use it (a superuser counts as admin)."""
    required = set(settings.DOANHUB_REQUIRE_2FA_ROLES)
    if not required:
        return False
    return (user.is_superuser and Role.ADMIN in required) or any(p.role in required for p in open_posts(user))


def device_of(user) -> TOTPDevice | None:
    """The user's confirmed device (one at most: setting up again replaces it)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def secret_of(device: TOTPDevice) -> str:
    """The key as the phone apps accept it when typed (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def check_code(device: TOTPDevice, code: str) -> bool:
    """One code against one device, with django-otp's throttling (a growing delay after each
    wrong code) and its refusal of a code already used."""
    with transaction.atomic():  # the row lock: two tabs cannot both spend one code
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device.verify_token(code.strip().replace(" ", ""))


@transaction.atomic
def start_setup(*, user) -> TOTPDevice:
    """Bắt đầu bật xác thực hai bước: a new unconfirmed key, replacing any earlier unfinished one."""
    if not may_use(user):
        raise PermissionDenied("Xác thực hai bước dành cho tài khoản giữ chức vụ duyệt hoặc quản trị.")
    if device_of(user):
        raise ValidationError("Xác thực hai bước đã được bật cho tài khoản này.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_setup(*, user, code: str) -> TOTPDevice:
    """Xác nhận: the first code from the phone proves the key was scanned; only then does login ask for it."""
    device = pending_device(user)
    if device is None:
        raise ValidationError("Chưa có mã QR đang chờ xác nhận: bấm “Bật xác thực hai bước” để tạo mã mới.")
    if not check_code(device, code):
        raise ValidationError(WRONG_CODE)
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(target=user, action="2fa_on", by=user, to_state="bật xác thực hai bước")
    return device


@transaction.atomic
def turn_off(*, user, code: str):
    """Tắt: the holder turns it off with a current code (a stolen session alone cannot), unless
    their role requires it."""
    device = device_of(user)
    if device is None:
        raise ValidationError("Xác thực hai bước chưa được bật.")
    if is_required(user):
        raise ValidationError("Vai trò của bạn bắt buộc xác thực hai bước: không thể tắt.")
    if not check_code(device, code):
        raise ValidationError(WRONG_CODE)
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(target=user, action="2fa_off", by=user, from_state="bật xác thực hai bước")
    return user


def may_reset(by, user) -> bool:
    """Recovery for a lost phone: an administrator above every post the user holds (a superuser
    anywhere); never the user themself, who would need no code then."""
    if by.pk == user.pk:
        return False
    if by.is_superuser:
        return True
    posts = open_posts(user)
    return bool(posts) and all(has_role_above(by, p.organization, {Role.ADMIN}) for p in posts)


@transaction.atomic
def reset(*, user, by, reason: str):
    """Đặt lại xác thực hai bước: the device is removed; the user logs in with the password alone
    and sets up a new phone (at once, where the role requires it)."""
    if not may_reset(by, user):
        raise PermissionDenied("Chỉ quản trị viên cấp trên mới đặt lại được xác thực hai bước của tài khoản này.")
    if is_blank(reason):
        raise ValidationError("Cần ghi lý do đặt lại (ví dụ: mất điện thoại).")
    if not TOTPDevice.objects.filter(user=user).exists():
        raise ValidationError("Tài khoản này chưa bật xác thực hai bước.")
    TOTPDevice.objects.filter(user=user).delete()
    posts = open_posts(user)
    audit.record(
        target=user,
        action="2fa_reset",
        by=by,
        organization=posts[0].organization if posts else None,
        from_state="bật xác thực hai bước",
        to_state="đã đặt lại",
        reason=reason.strip(),
    )
    return user
