"""Ways a notification leaves the site. The inbox row itself is the in-app channel; every class
named in DOANHUB_NOTIFICATION_CHANNELS also gets each batch of new notifications (a Zalo OA or
SMS channel is one more class with ``deliver`` and one more entry in that setting)."""

import logging
import smtplib
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Notification, Preference

log = logging.getLogger(__name__)


class Channel:
    def deliver(self, notifications: Sequence[Notification]) -> int:
        """Send what this channel sends of these saved notifications; return how many went."""
        raise NotImplementedError


def absolute(link: str) -> str:
    return f"{settings.DOANHUB_SITE_URL}{link}"


def email_message(user, notifications: Sequence[Notification], *, subject: str) -> EmailMultiAlternatives:
    """One Vietnamese mail, plain text and HTML, listing each notification with its unit, deadline
    (dd/mm/yyyy) and absolute link."""
    context = {"user": user, "items": [(n, absolute(n.link)) for n in notifications]}
    text = render_to_string("notifications/email.txt", context)
    html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(f"[DoanHub] {subject}", text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def send(messages) -> bool:
    """Send the mails; False when the mail server refused or was down. That must not fail the
    work that was notified (a returned batch, a finished report): the inbox rows stand and the
    mails stay unsent (``emailed_at`` empty)."""
    try:
        get_connection().send_messages(messages)
    except (OSError, smtplib.SMTPException):
        log.warning("notification mail not sent", exc_info=True)
        return False
    return True


def preferences(user_ids) -> dict[int, Preference]:
    """Each user's preference (the defaults, email at once, for one who never chose)."""
    saved = {p.user_id: p for p in Preference.objects.filter(user_id__in=set(user_ids))}
    return {uid: saved.get(uid) or Preference(user_id=uid) for uid in user_ids}


class EmailChannel(Channel):
    """Mails at once those who chose it; digest readers get theirs from ``send_digests``."""

    def deliver(self, notifications: Sequence[Notification]) -> int:
        prefs = preferences([n.recipient_id for n in notifications])
        chosen = [
            n
            for n in notifications
            if n.recipient.email
            and prefs[n.recipient_id].email_enabled
            and prefs[n.recipient_id].email_mode == Preference.Mode.IMMEDIATE
        ]
        if not chosen:
            return 0
        if not send([email_message(n.recipient, [n], subject=n.title) for n in chosen]):
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in chosen]).update(emailed_at=timezone.now())
        return len(chosen)


@cache
def _configured(paths: tuple[str, ...]) -> list[Channel]:
    return [import_string(path)() for path in paths]


def channels() -> list[Channel]:
    return _configured(tuple(settings.DOANHUB_NOTIFICATION_CHANNELS))
