"""Bearer access tokens that logout can revoke before they expire."""

from __future__ import annotations

from django.core.cache import cache
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import Token

from nexus.accounts.models import User


def _denylist_key(jti: str) -> str:
    return f"jwt-revoked:{jti}"


def revoke_access_token(token: Token) -> None:
    """Refuse this access token from now until it would have expired anyway."""
    remaining = int(token["exp"]) - int(token.current_time.timestamp())
    if remaining > 0:
        cache.set(_denylist_key(str(token["jti"])), 1, timeout=remaining)


class AccessTokenAuthentication(JWTAuthentication):
    """simplejwt's authentication plus a check of the logout denylist (one cache read)."""

    def get_validated_token(self, raw_token: bytes) -> Token:
        token = super().get_validated_token(raw_token)
        if cache.get(_denylist_key(str(token.get("jti", "")))):
            raise InvalidToken({"detail": "Token has been revoked.", "code": "token_revoked"})
        return token


def websocket_token_user(raw_token: str) -> tuple[User, float] | None:
    """The active member an access token belongs to, and when it expires; None if it is refused.

    The same checks as the REST API (signature, expiry, token type, logout denylist, active
    user); `nexus.core.websocket` calls it on connect and again while the connection lives.
    """
    authentication = AccessTokenAuthentication()
    try:
        token = authentication.get_validated_token(raw_token.encode())
        user = authentication.get_user(token)
    except (InvalidToken, TokenError, AuthenticationFailed):
        return None
    return user, float(token["exp"])  # type: ignore[return-value] # simplejwt types the user as AbstractBaseUser
