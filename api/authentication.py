"""``Authorization: Bearer dh_…``: a personal token stands for its user (and their posts' scope)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import active_token

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace") != KEYWORD:
            return None  # no token: the session may authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Tiêu đề Authorization phải là “Bearer <mã truy cập>”.")
        token = active_token(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD  # so an anonymous request answers 401, not 403


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Mã truy cập cá nhân, tạo và thu hồi ở trang “Tài khoản của tôi”.",
        }
