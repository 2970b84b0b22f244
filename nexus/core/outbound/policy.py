"""The guard's settings: which non-global ranges it may reach (`Policy`) and the budgets of an exchange (`Limits`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings


@dataclass(frozen=True)
class Policy:
    """Which non-global address ranges this process may reach (both off in production)."""

    allow_loopback: bool = False
    allow_private: bool = False

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            allow_loopback=bool(getattr(settings, "NEXUS_OUTBOUND_ALLOW_LOOPBACK", False)),
            allow_private=bool(getattr(settings, "NEXUS_OUTBOUND_ALLOW_PRIVATE", False)),
        )


@dataclass(frozen=True)
class Limits:
    """Time and size budgets of one exchange (all of its redirects together)."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 1_000_000
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, **overrides: Any) -> Limits:
        values: dict[str, Any] = {
            "connect_timeout": getattr(settings, "NEXUS_OUTBOUND_CONNECT_TIMEOUT", cls.connect_timeout),
            "read_timeout": getattr(settings, "NEXUS_OUTBOUND_READ_TIMEOUT", cls.read_timeout),
            "total_timeout": getattr(settings, "NEXUS_OUTBOUND_TOTAL_TIMEOUT", cls.total_timeout),
            "max_bytes": getattr(settings, "NEXUS_OUTBOUND_MAX_BYTES", cls.max_bytes),
            "max_redirects": getattr(settings, "NEXUS_OUTBOUND_MAX_REDIRECTS", cls.max_redirects),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout, read=self.read_timeout, write=self.read_timeout, pool=self.connect_timeout
        )
