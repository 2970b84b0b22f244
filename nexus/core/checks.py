"""System checks (`manage.py check --deploy`) for settings that must stay off in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def outbound_guard(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when the outbound guard lets members' URLs reach this machine or the private network."""
    messages: list[CheckMessage] = []
    if getattr(settings, "NEXUS_OUTBOUND_ALLOW_LOOPBACK", False):
        messages.append(
            CheckWarning(
                "NEXUS_OUTBOUND_ALLOW_LOOPBACK is on: webhook and registered-API URLs can reach services "
                "listening on this machine.",
                hint="It exists for tests and local development; unset it in production.",
                id="nexus.W001",
            )
        )
    if getattr(settings, "NEXUS_OUTBOUND_ALLOW_PRIVATE", False):
        messages.append(
            CheckWarning(
                "NEXUS_OUTBOUND_ALLOW_PRIVATE is on: webhook and registered-API URLs can reach private-network "
                "addresses (10/8, 172.16/12, 192.168/16, fc00::/7).",
                hint="Keep it only if members' services live on that network and Nexus's own internal "
                "services are firewalled from it; silence nexus.W002 to say so.",
                id="nexus.W002",
            )
        )
    return messages
