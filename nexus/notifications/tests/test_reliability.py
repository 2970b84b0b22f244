"""Real Celery workers against the real RabbitMQ and the PostgreSQL test database (services mode only).

Each test runs `celery -A config worker --pool=threads --concurrency=1` in a subprocess on a queue of its own (so
other engineers' workers on the shared broker never take its tasks), against this test's
database, and shows that members are notified exactly once:

- 100 follows: 100 notifications, each pushed live once;
- the broker unreachable (a TCP proxy in front of it, cut) while the follows commit: nothing is
  lost, and once it is reachable again the sweep publishes, still exactly 100;
- the worker SIGKILLed in the middle of a task: the broker redelivers it to the next worker
  (acks_late), which does it once.

On embedded defaults these tests are skipped (`live_services`); with NEXUS_REQUIRE_SERVICES set
a missing service fails them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from kombu import Connection

from nexus.accounts.models import Profile, User
from nexus.core import events
from nexus.core.models import OutboxEvent
from nexus.core.tests.brokers import TcpProxy, publishing_to
from nexus.notifications import services
from nexus.notifications.models import Kind, Notification
from nexus.notifications.tests.live import drain

pytestmark = [pytest.mark.usefixtures("live_services"), pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
FOLLOWS = 100


def wait_until(predicate: Callable[[], bool], *, timeout: float, what: str, log: Callable[[], str] = str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{log()}")
        time.sleep(0.05)


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no shutdown, no ack, the connection to the broker just drops."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _database_url() -> str:
    db = connection.settings_dict  # the test database, while a test runs
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _new_queue() -> str:
    return f"nexus-test-{uuid.uuid4().hex[:12]}"


def _delete_queue(name: str) -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=3) as conn:
        channel = conn.default_channel
        channel.queue_delete(name)
        channel.exchange_delete(name)


def _start_worker(queue: str, name: str, log_dir: Path) -> Worker:
    """`celery -A config worker` (one thread) on `queue`, against the test database; waits until ready."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": _database_url(),
        "CELERY_QUEUE": queue,
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = log_dir / f"worker-{name}.log"
    # One thread, so the prefetch is exactly one message. Not --pool=solo: a solo worker runs the
    # task inside its event loop, so a late ack waits for the loop's next timer tick (about 2 s,
    # or for ever without heartbeats) and with prefetch 1 the next message waits for that ack.
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads", "--concurrency=1", "-Q", queue,
        "-n", f"{queue}-{name}@%h", "--without-gossip", "--without-mingle", "--loglevel=INFO",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(process, log_path)
    try:
        wait_until(
            lambda: " ready." in log_path.read_text(errors="replace") or process.poll() is not None,
            timeout=30,
            what=f"worker {name} to start",
            log=worker.log,
        )
        assert process.poll() is None, f"worker {name} exited:\n{worker.log()}"
    except BaseException:
        worker.stop()
        raise
    return worker


@pytest.fixture(scope="module")
def worker(live_services, django_db_setup, tmp_path_factory):
    """One worker for the tests that only need one, on a queue of this module's own."""
    queue = _new_queue()
    started = _start_worker(queue, "shared", tmp_path_factory.mktemp("worker"))
    started.queue = queue  # type: ignore[attr-defined]
    yield started
    started.stop()
    _delete_queue(queue)


@pytest.fixture
def queue():
    """A queue name for this test only; deleted from the broker afterwards."""
    name = _new_queue()
    yield name
    _delete_queue(name)


@pytest.fixture
def start_worker(queue, tmp_path):
    """Start workers on this test's queue; all are stopped at the end."""
    started: list[Worker] = []

    def start(name: str = "a") -> Worker:
        started.append(_start_worker(queue, name, tmp_path))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def _pairs(stars: int = 4) -> list[tuple]:
    """FOLLOWS (fan, star) pairs: fan i follows star i % `stars` (members made in bulk, for speed)."""
    tag = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(username=f"m{tag}{n}", email=f"m{tag}{n}@example.com") for n in range(stars + FOLLOWS)
    )
    Profile.objects.bulk_create(Profile(user=user, display_name=f"Member {n}") for n, user in enumerate(users))
    members, fans = users[:stars], users[stars:]
    return [(fan, members[i % stars]) for i, fan in enumerate(fans)]


def _follow(pairs: list[tuple]) -> None:
    for fan, star in pairs:
        services.member_follow(actor=fan, username=star.username)


def _all_processed() -> bool:
    return OutboxEvent.objects.filter(type="member.followed", processed_at__isnull=False).count() >= FOLLOWS


def _assert_exactly_once(pairs: list[tuple]) -> None:
    """One notification per follow: to the right member, from the right fan, for its own event."""
    time.sleep(0.5)  # anything delivered twice would show up by now
    rows = list(Notification.objects.values_list("recipient_id", "actor_id", "kind", "event_id"))
    assert len(rows) == FOLLOWS
    assert {kind for _, _, kind, _ in rows} == {Kind.NEW_FOLLOWER}
    assert Counter((recipient, actor) for recipient, actor, _, _ in rows) == Counter(
        (star.pk, fan.pk) for fan, star in pairs
    )
    followed = OutboxEvent.objects.filter(type="member.followed")
    assert {event_id for _, _, _, event_id in rows} == set(followed.values_list("pk", flat=True))
    assert followed.filter(processed_at__isnull=False, attempts=0).count() == FOLLOWS


def test_a_hundred_notifications_are_delivered_exactly_once(worker, listen):
    # given four members listening live, and a worker
    pairs = _pairs()
    stars = list(dict.fromkeys(star for _, star in pairs))
    channels = {star.pk: listen(star) for star in stars}

    # when a hundred members follow them, each in its own request
    started = time.monotonic()
    with publishing_to(settings.CELERY_BROKER_URL, queue=worker.queue):
        _follow(pairs)
    wait_until(_all_processed, timeout=30, what="100 events processed", log=worker.log)
    elapsed = time.monotonic() - started

    # then each is notified once, and pushed live once
    _assert_exactly_once(pairs)
    for star in stars:
        live = [m["notification"]["id"] for m in drain(channels[star.pk])]
        assert sorted(live) == sorted(Notification.objects.filter(recipient=star).values_list("pk", flat=True))
        assert len(live) == FOLLOWS // len(stars)
    assert not OutboxEvent.objects.filter(redelivered=True).exists()
    print(f"\n100 follows committed, relayed and handled by one worker in {elapsed:.2f}s")


def test_a_broker_unreachable_while_they_are_created_loses_nothing(worker, settings):
    # given the relay reaches the broker through a proxy, with a live connection already
    settings.EVENTS_RELAY_MIN_AGE = 0
    broker = urlsplit(settings.CELERY_BROKER_URL)
    proxy = TcpProxy((broker.hostname or "127.0.0.1", broker.port or 5672))
    pairs = _pairs()
    try:
        with publishing_to(proxy.url(vhost=broker.path), queue=worker.queue):
            warm_up = events.event_record(type="test.warm-up", payload={})
            wait_until(
                lambda: OutboxEvent.objects.filter(pk=warm_up.pk, processed_at__isnull=False).exists(),
                timeout=15,
                what="the warm-up event",
                log=worker.log,
            )

            # when the broker becomes unreachable (open connections cut) while the follows commit
            proxy.down()
            started = time.monotonic()
            for batch in range(10):  # ten requests of ten follows each
                with transaction.atomic():
                    _follow(pairs[batch * 10 : batch * 10 + 10])
            outage = time.monotonic() - started

            # then every follow committed, no event went out and nobody was notified yet
            assert OutboxEvent.objects.filter(type="member.followed").count() == FOLLOWS
            assert OutboxEvent.objects.filter(type="member.followed", sent_at__isnull=True).count() == FOLLOWS
            time.sleep(1)
            assert not Notification.objects.exists()

            # when the broker is reachable again, the sweep (the beat task's work) publishes them
            proxy.restore()
            assert events.relay() == FOLLOWS
        wait_until(_all_processed, timeout=30, what="100 events processed after the outage", log=worker.log)
    finally:
        proxy.close()

    # then still exactly once each
    _assert_exactly_once(pairs)
    assert outage < 15, f"ten commits with the broker down took {outage:.1f}s"
    print(f"\n10 commits with the broker unreachable took {outage:.2f}s in all")


def _locking_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_task_loses_nothing(start_worker, queue):
    # given 100 follows whose events are all in the queue, no worker yet
    pairs = _pairs()
    with publishing_to(settings.CELERY_BROKER_URL, queue=queue), transaction.atomic():
        _follow(pairs)  # one commit, one relay batch: only the kill matters here
    order = list(OutboxEvent.objects.filter(type="member.followed").order_by("created_at", "id"))
    assert len(order) == FOLLOWS and all(event.sent_at for event in order)
    victim = order[49]

    # when a worker is in the middle of the 50th task (held on its row lock here) and is SIGKILLed
    with _locking_connection() as locker:
        locker.execute("SELECT id FROM core_outboxevent WHERE id = %s FOR UPDATE", [victim.pk])
        first = start_worker("a")
        wait_until(_waiting_on_a_lock, timeout=30, what="the worker to reach the locked event", log=first.log)
        assert Notification.objects.count() == 49
        first.kill()
        locker.rollback()

    # then a second worker gets the task again from the broker and finishes the work, once
    restarted = time.monotonic()
    second = start_worker("b")
    wait_until(_all_processed, timeout=30, what="100 events processed after the kill", log=second.log)
    print(f"\nkilled at 49 of 100; the second worker finished the rest in {time.monotonic() - restarted:.2f}s")
    _assert_exactly_once(pairs)
    assert list(OutboxEvent.objects.filter(redelivered=True).values_list("pk", flat=True)) == [victim.pk]
