"""Bearer access tokens that logout can revoke before they expire."""

from __future__ import annotations

from django.core.cache import cache
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.tokens import Token


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
