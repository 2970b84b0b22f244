"""The outbox: recorded with the change, relayed after commit or by the sweep, dispatched once."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app as celery_app
from nexus.core import events
from nexus.core.models import OutboxEvent
from nexus.core.tests.brokers import closed_port, publishing_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(monkeypatch):
    """Register handlers for this test only; returns the list of (type, payload) they saw."""
    seen: list[tuple[str, dict]] = []
    registry = {k: list(v) for k, v in events._handlers.items()}
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list, registry))

    @events.handler("test.seen")
    def _seen(event):
        seen.append((event.type, event.payload))

    return seen


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks of what happens inside (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_an_event_is_dispatched_after_commit_and_not_before(handled, commit):
    # given
    with commit():
        event = events.event_record(type="test.seen", payload={"n": 1})
        # then, before the commit
        assert handled == []
        assert OutboxEvent.objects.get(pk=event.pk).sent_at is None

    # and after it
    assert handled == [("test.seen", {"n": 1})]
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert stored.sent_at is not None and stored.processed_at is not None
    assert (stored.state, stored.attempts, stored.redelivered) == ("processed", 0, False)


def test_an_event_of_a_rolled_back_transaction_never_happens(handled, commit):
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        events.event_record(type="test.seen", payload={"n": 1})
        raise RuntimeError("the change fails")

    assert handled == []
    assert not OutboxEvent.objects.exists()


def test_events_of_one_transaction_are_relayed_together_in_order(handled, commit):
    with commit(), transaction.atomic():
        for n in range(3):
            events.event_record(type="test.seen", payload={"n": n})

    assert handled == [("test.seen", {"n": 0}), ("test.seen", {"n": 1}), ("test.seen", {"n": 2})]


def test_a_dedupe_key_records_the_event_once(handled, commit):
    with commit():
        first = events.event_record(type="test.seen", payload={"n": 1}, key="once")
        again = events.event_record(type="test.seen", payload={"n": 2}, key="once")

    assert again.pk == first.pk
    assert OutboxEvent.objects.count() == 1
    assert handled == [("test.seen", {"n": 1})]


def test_the_payload_is_a_dict():
    with pytest.raises(TypeError):
        events.event_record(type="test.seen", payload=["not", "a", "dict"])  # type: ignore[arg-type]
    assert not OutboxEvent.objects.exists()


def test_a_second_delivery_does_nothing(handled):
    event = events.event_record(type="test.seen", payload={})

    assert events.dispatch(event_id=event.pk) == "processed"
    assert OutboxEvent.objects.get(pk=event.pk).redelivered is False
    assert events.dispatch(event_id=event.pk, redelivered=True) == "duplicate"

    assert len(handled) == 1
    assert OutboxEvent.objects.get(pk=event.pk).redelivered is True  # seen again, done once
    assert events.dispatch(event_id="00000000-0000-0000-0000-000000000000") == "missing"


def test_a_failing_handler_rolls_back_its_writes_and_is_retried_later(handled, settings):
    # given a handler that writes, then fails
    settings.EVENTS_RETRY_DELAY = 10

    @events.handler("test.failing")
    def _failing(event):
        events.event_record(type="test.side-effect", payload={})
        raise ValueError("boom")

    event = events.event_record(type="test.failing", payload={})
    OutboxEvent.objects.filter(pk=event.pk).update(sent_at=timezone.now())

    # when
    before = timezone.now()
    outcome = events.dispatch(event_id=event.pk)

    # then the write is gone, the event is unsent again and due after the backoff
    assert outcome == "failed"
    assert not OutboxEvent.objects.filter(type="test.side-effect").exists()
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert (stored.attempts, stored.last_error, stored.sent_at, stored.processed_at) == (
        1,
        "ValueError: boom",
        None,
        None,
    )
    assert timedelta(seconds=9) < stored.available_at - before < timedelta(seconds=11)
    # the second failure waits twice as long
    events.dispatch(event_id=event.pk)
    stored.refresh_from_db()
    assert stored.attempts == 2
    assert timedelta(seconds=19) < stored.available_at - before < timedelta(seconds=21)


def test_after_the_last_attempt_an_event_is_given_up_until_retried(handled, settings, commit):
    settings.EVENTS_MAX_ATTEMPTS = 2
    settings.EVENTS_RELAY_MIN_AGE = 0
    calls = []

    @events.handler("test.flaky")
    def _flaky(event):
        calls.append(1)
        if len(calls) <= 2:
            raise ValueError("not yet")

    event = events.event_record(type="test.flaky", payload={})
    events.dispatch(event_id=event.pk)
    events.dispatch(event_id=event.pk)
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert stored.state == "failed" and stored.attempts == 2

    # the sweep leaves it alone (it is not due) ...
    OutboxEvent.objects.filter(pk=event.pk).update(available_at=timezone.now() - timedelta(hours=1))
    assert events.relay() == 0
    assert events.events_status() == {"pending": 0, "sent": 0, "processed": 0, "failed": 1}

    # ... until an operator resets it
    assert events.events_retry() == 1
    with commit():
        assert events.relay() == 1
    stored.refresh_from_db()
    assert stored.state == "processed" and len(calls) == 3


def test_the_sweep_publishes_what_is_due_oldest_first(handled, settings):
    # given an event just recorded, one a minute old, one sent long ago and never processed
    settings.EVENTS_RELAY_MIN_AGE = 5
    settings.EVENTS_REPUBLISH_AFTER = 900
    now = timezone.now()
    fresh = events.event_record(type="test.seen", payload={"age": "fresh"})
    old = events.event_record(type="test.seen", payload={"age": "old"})
    lost = events.event_record(type="test.seen", payload={"age": "lost"})
    OutboxEvent.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(minutes=1), available_at=now - timedelta(minutes=1)
    )
    OutboxEvent.objects.filter(pk=lost.pk).update(
        created_at=now - timedelta(hours=1), sent_at=now - timedelta(minutes=20)
    )

    # when
    published = events.relay()

    # then the lost one goes first (oldest), the fresh one is left to its after-commit relay
    assert published == 2
    assert handled == [("test.seen", {"age": "lost"}), ("test.seen", {"age": "old"})]
    assert OutboxEvent.objects.get(pk=fresh.pk).state == "pending"


def test_the_sweep_locks_rows_and_skips_locked_ones_where_the_database_can():
    events.event_record(type="test.seen", payload={})
    OutboxEvent.objects.update(available_at=timezone.now() - timedelta(minutes=1))

    with CaptureQueriesContext(connection) as queries:
        events.relay()

    select = next(q["sql"] for q in queries if q["sql"].startswith("SELECT") and "core_outboxevent" in q["sql"])
    if connection.features.has_select_for_update_skip_locked:
        assert "FOR UPDATE SKIP LOCKED" in select
    else:  # SQLite: one writer at a time, and the relay's transaction takes the write lock up front
        assert connection.vendor == "sqlite"


def test_a_broker_down_at_commit_loses_nothing(handled, settings, commit):
    settings.EVENTS_RELAY_MIN_AGE = 0
    with publishing_to(f"amqp://guest:guest@127.0.0.1:{closed_port()}//"):
        # given the broker is unreachable when the change commits
        started = time.monotonic()
        with commit():
            event = events.event_record(type="test.seen", payload={"n": 1})

        # then the commit was not held up long and the event waits, unsent
        assert time.monotonic() - started < 5
        assert OutboxEvent.objects.get(pk=event.pk).state == "pending"
        assert handled == []

    # when the broker is back (here: tasks in-process again), the sweep publishes it
    with commit():
        assert events.relay() == 1
    assert handled == [("test.seen", {"n": 1})]
    assert OutboxEvent.objects.get(pk=event.pk).state == "processed"


def test_prune_keeps_what_is_not_done(handled):
    now = timezone.now()
    done_long_ago = events.event_record(type="test.seen", payload={})
    done_recently = events.event_record(type="test.seen", payload={})
    failed = events.event_record(type="test.seen", payload={})
    pending = events.event_record(type="test.seen", payload={})
    OutboxEvent.objects.filter(pk=done_long_ago.pk).update(processed_at=now - timedelta(days=30))
    OutboxEvent.objects.filter(pk=done_recently.pk).update(processed_at=now - timedelta(days=1))
    OutboxEvent.objects.filter(pk=failed.pk).update(failed_at=now - timedelta(days=30))

    assert events.events_prune(older_than=timedelta(days=14)) == 1

    assert set(OutboxEvent.objects.values_list("pk", flat=True)) == {done_recently.pk, failed.pk, pending.pk}


def test_the_events_command(handled, capsys, settings):
    settings.EVENTS_RELAY_MIN_AGE = 0
    events.event_record(type="test.seen", payload={})

    call_command("events", "status")
    call_command("events", "relay")
    call_command("events", "status")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "1 pending, 0 sent, 0 processed, 0 failed.",
        "Published 1 event(s).",
        "0 pending, 0 sent, 1 processed, 0 failed.",
    ]


def test_every_beat_entry_names_a_registered_task(settings):
    celery_app.loader.import_default_modules()

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert names >= {"nexus.events.relay", "nexus.events.prune", "nexus.notifications.digest"}
    assert names <= set(celery_app.tasks), names - set(celery_app.tasks)
    assert names <= set(celery_app.tasks)
    assert celery_app.tasks["nexus.events.dispatch"].acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
