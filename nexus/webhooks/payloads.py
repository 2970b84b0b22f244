"""What a webhook sends: the body in each format, the signature, and when to try again. No ORM.

Signature (docs/webhooks.md): `X-Nexus-Signature: sha256=<hex>` where hex is
HMAC-SHA256(secret, f"{X-Nexus-Timestamp}." + raw body). A receiver recomputes it over the raw
bytes it received, compares in constant time, and refuses a timestamp more than five minutes
away from its clock (a replayed request carries an old one). `signature_verify` does exactly that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder

SIGNATURE_HEADER = "X-Nexus-Signature"
TIMESTAMP_HEADER = "X-Nexus-Timestamp"
EVENT_HEADER = "X-Nexus-Event"
EVENT_ID_HEADER = "X-Nexus-Event-Id"
DELIVERY_HEADER = "X-Nexus-Delivery"
SIGNATURE_TOLERANCE_SECONDS = 300
DISCORD_CONTENT_LIMIT = 2000  # Discord refuses longer `content`
SLACK_TEXT_LIMIT = 3000  # Slack truncates `text` past about 4000 characters; stay well under
PING_EVENT = "webhook.ping"

_jitter = random.Random()  # noqa: S311 - spreads retries in time; nothing secret depends on it


@dataclass(frozen=True)
class Event:
    """One event as a webhook sees it."""

    id: str
    type: str
    created_at: datetime
    cohort: str | None  # the cohort's slug
    data: dict[str, Any] = field(default_factory=dict)


def message_text(event: Event) -> str:
    """The one-message text of chat formats: the payload's `summary` (and `url`), else the event type."""
    summary = event.data.get("summary")
    text = summary.strip() if isinstance(summary, str) and summary.strip() else f"Nexus event: {event.type}"
    url = event.data.get("url")
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        text = f"{text}\n{url}"
    return text


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slack_escape(text: str) -> str:
    # Slack reads <...> as links and mentions (<!channel>); these three are its escapes.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def body(fmt: str, event: Event) -> bytes:
    """The request body for a webhook format: discord, slack or generic."""
    document: dict[str, Any]
    if fmt == "discord":
        # No @everyone, @here or role pings from text members wrote.
        document = {"content": _cut(message_text(event), DISCORD_CONTENT_LIMIT), "allowed_mentions": {"parse": []}}
    elif fmt == "slack":
        document = {"text": _cut(_slack_escape(message_text(event)), SLACK_TEXT_LIMIT)}
    elif fmt == "generic":
        document = {
            "id": event.id,
            "type": event.type,
            "created_at": event.created_at,
            "cohort": event.cohort,
            "data": event.data,
        }
    else:
        raise ValueError(f"Unknown webhook format {fmt!r}.")
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(secret: str, timestamp: int, payload: bytes) -> str:
    """The X-Nexus-Signature value for a body sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + payload, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def headers(*, secret: str, payload: bytes, event: Event, delivery_id: int, timestamp: int) -> dict[str, str]:
    """Every header a delivery carries besides the HTTP basics."""
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, payload),
        EVENT_HEADER: event.type,
        EVENT_ID_HEADER: event.id,
        DELIVERY_HEADER: str(delivery_id),
    }


def signature_verify(
    *,
    secret: str,
    payload: bytes,
    timestamp: str,
    signature: str,
    now: float | None = None,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the signature matches the raw body and the timestamp is recent."""
    if not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), payload), signature)


Verdict = Literal["succeeded", "retry", "failed"]


def verdict(status_code: int) -> Verdict:
    """What an answer means: 2xx delivered; 408, 425, 429 and 5xx worth another try; the rest final.

    A redirect is final too: webhooks do not follow them (a POST would turn into a GET), and the
    delivery's error tells the owner to update the URL.
    """
    if 200 <= status_code < 300:
        return "succeeded"
    if status_code in (408, 425, 429) or status_code >= 500:
        return "retry"
    return "failed"


def retry_delay(attempt: int, *, base: float, cap: float, jitter: float = 0.2, rng: random.Random = _jitter) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): exponential, capped, jittered.

    base * 2**(attempt-1), times a random factor in [1-jitter, 1+jitter] so that deliveries that
    failed together (a receiver's outage) do not all come back at the same second; never above cap.
    """
    delay = min(cap, base * 2 ** (attempt - 1))
    return min(cap, delay * rng.uniform(1 - jitter, 1 + jitter))
