"""Bodies per format, the signature a receiver verifies, what answers mean, and the retry schedule."""

import datetime as dt
import json
import random
import statistics

import pytest

from nexus.webhooks import payloads

EVENT = payloads.Event(
    id="evt-42",
    type="entry.published",
    created_at=dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC),
    cohort="be-3",
    data={"summary": "Ada published “CORS between React and DRF”.", "url": "https://nexus.example/e/7", "entry": 7},
)


def test_discord_body_is_content_without_pings():
    body = json.loads(payloads.body("discord", EVENT))

    assert body == {
        "content": "Ada published “CORS between React and DRF”.\nhttps://nexus.example/e/7",
        "allowed_mentions": {"parse": []},
    }


def test_slack_body_is_escaped_text():
    event = payloads.Event("e", "thread.created", EVENT.created_at, "be-3", {"summary": "<!channel> R&D <b>"})

    assert json.loads(payloads.body("slack", event)) == {"text": "&lt;!channel&gt; R&amp;D &lt;b&gt;"}


def test_generic_body_carries_the_whole_event():
    assert json.loads(payloads.body("generic", EVENT)) == {
        "id": "evt-42",
        "type": "entry.published",
        "created_at": "2026-03-01T12:30:00Z",
        "cohort": "be-3",
        "data": {
            "summary": "Ada published “CORS between React and DRF”.",
            "url": "https://nexus.example/e/7",
            "entry": 7,
        },
    }


def test_chat_text_falls_back_to_the_event_type_and_is_cut_to_the_limit():
    bare = payloads.Event("e", "member.joined", EVENT.created_at, None, {"url": "javascript:alert(1)"})
    long = payloads.Event("e", "note", EVENT.created_at, None, {"summary": "x" * 5000})

    assert json.loads(payloads.body("discord", bare))["content"] == "Nexus event: member.joined"
    content = json.loads(payloads.body("discord", long))["content"]
    assert len(content) == payloads.DISCORD_CONTENT_LIMIT and content.endswith("…")
    assert len(json.loads(payloads.body("slack", long))["text"]) == payloads.SLACK_TEXT_LIMIT


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="Unknown webhook format"):
        payloads.body("teams", EVENT)


def test_signature_verifies_the_exact_body_and_a_recent_timestamp():
    body = payloads.body("generic", EVENT)
    headers = payloads.headers(secret="whsec_s", payload=body, event=EVENT, delivery_id=9, timestamp=1_800_000_000)

    assert headers == {
        "Content-Type": "application/json",
        "X-Nexus-Timestamp": "1800000000",
        "X-Nexus-Signature": payloads.sign("whsec_s", 1_800_000_000, body),
        "X-Nexus-Event": "entry.published",
        "X-Nexus-Event-Id": "evt-42",
        "X-Nexus-Delivery": "9",
    }
    assert headers["X-Nexus-Signature"].startswith("sha256=") and len(headers["X-Nexus-Signature"]) == 71

    def verify(**changes):
        args = {
            "secret": "whsec_s",
            "payload": body,
            "timestamp": "1800000000",
            "signature": headers["X-Nexus-Signature"],
            "now": 1_800_000_100,
            **changes,
        }
        return payloads.signature_verify(**args)

    assert verify()
    assert not verify(payload=body.replace(b"Ada", b"Eve"))
    assert not verify(secret="whsec_other")
    assert not verify(timestamp="1800000001")  # the timestamp is signed too
    assert not verify(now=1_800_000_000 + 301)  # a replay, too old
    assert not verify(timestamp="18e8")


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, "succeeded"),
        (204, "succeeded"),
        (301, "failed"),
        (400, "failed"),
        (401, "failed"),
        (404, "failed"),
        (410, "failed"),
        (408, "retry"),
        (425, "retry"),
        (429, "retry"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
    ],
)
def test_verdict_of_an_answer(status, verdict):
    assert payloads.verdict(status) == verdict


class _Middle(random.Random):
    def uniform(self, a, b):
        return (a + b) / 2


def test_backoff_doubles_from_the_base_up_to_the_cap():
    delays = [payloads.retry_delay(n, base=60, cap=3600, rng=_Middle()) for n in range(1, 10)]

    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_backoff_jitter_spreads_within_twenty_percent():
    rng = random.Random(7)
    samples = [payloads.retry_delay(3, base=60, cap=3600, rng=rng) for _ in range(500)]

    assert min(samples) >= 192 and max(samples) <= 288
    assert statistics.pstdev(samples) > 15  # spread, not one value
    assert all(payloads.retry_delay(9, base=60, cap=3600, rng=rng) <= 3600 for _ in range(100))
