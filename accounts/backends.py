"""The authentication backend that throttles logins (django-axes) without breaking callers that
have no request."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made through a page (the app's login, and so the
    admin's, which redirects there).

    axes refuses an ``authenticate()`` call without a request; such calls come from code, not from
    a person at a login form (the test client's ``login``, a shell, a command), and have no
    address to throttle, so they pass to ModelBackend unchecked. The page always gives its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
