"""Failed-login counting per IP and per account, in the cache.

Only failures count, so a member who signs in often is never refused; a success clears the
account's counter. Each key is a fixed window that starts at its first failure.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from nexus.core.errors import Throttled


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
    return f"login-fail:{scope}:{digest}"


def _limits() -> dict[str, dict[str, int]]:
    return settings.LOGIN_THROTTLE


def check(*, ip: str, username: str) -> None:
    """Raise Throttled if the IP or the account has used up its failures for the window."""
    for scope, value in (("ip", ip), ("account", username)):
        limit = _limits()[scope]
        key = _key(scope, value)
        if (cache.get(key) or 0) >= limit["limit"]:
            ttl = getattr(cache, "ttl", None)
            wait = ttl(key) if callable(ttl) else None
            raise Throttled(
                "Too many failed sign-in attempts. Try again later.",
                wait=int(wait) if wait and wait > 0 else limit["window"],
            )


def record_failure(*, ip: str, username: str) -> None:
    """Count one failed attempt against the IP and the account."""
    for scope, value in (("ip", ip), ("account", username)):
        key = _key(scope, value)
        if not cache.add(key, 1, timeout=_limits()[scope]["window"]):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=_limits()[scope]["window"])


def record_success(*, username: str) -> None:
    """A correct password clears the account's failures (the IP's stay)."""
    cache.delete(_key("account", username))
