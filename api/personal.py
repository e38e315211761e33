"""The trail of personal data read through a token (issue 17): one audit entry per request."""

from organizations import audit

from .models import ApiToken


def note_personal_read(request, *, unit, what: str) -> None:
    """A token request that returned CCCD, phone or address writes who, which token, where, what.
    A browser session is not noted: it reads what the pages already show that user."""
    if isinstance(request.auth, ApiToken):
        audit.record(
            target=request.auth,
            action="api_personal_read",
            by=request.user,
            organization=unit,
            reason=f"{what}: {request.get_full_path()}"[:500],
        )
