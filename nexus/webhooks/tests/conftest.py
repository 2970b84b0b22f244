"""A cohort with its mentor, staff and learner; a local receiver; a real Celery worker in services mode."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest
from celery.signals import task_postrun
from django.db import connections

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.tests.servers import LocalServer, Reply, fake_dns, local_server  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _receivers_are_local(settings):
    """The receivers in these tests listen on 127.0.0.1, which only this setting lets through."""
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = True


@pytest.fixture
def cohort(db):
    return CohortFactory(slug="be-3", name="ProDev BE 3")


@pytest.fixture
def mentor(cohort):
    return MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user


@pytest.fixture
def cohort_staff(cohort):
    return MembershipFactory(cohort=cohort, role=Membership.Role.STAFF).user


@pytest.fixture
def learner(cohort):
    return MembershipFactory(cohort=cohort, role=Membership.Role.LEARNER).user


@pytest.fixture
def receiver(local_server) -> LocalServer:  # noqa: F811 - the fixture imported above
    """A webhook receiver on 127.0.0.1 that answers 200 until told otherwise."""
    server = local_server()
    server.answer(Reply(200, b"thanks"))
    return server


def wait_for(condition: Callable[[], object], *, timeout: float = 15.0) -> object:
    """Poll until `condition()` is truthy (a worker in another thread is doing the work)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def _close_worker_connections(**kwargs: object) -> None:
    # The worker thread's own database connection must not outlive the test (flush, teardown).
    connections.close_all()


@pytest.fixture
def celery_worker(settings):
    """Services mode: a real Celery worker on the real broker, on a queue of its own; embedded: None.

    The queue is unique to the test, so no other worker sharing the broker takes these tasks
    and this worker takes no one else's; it is deleted afterwards. Use with
    `django_db(transaction=True)`: the worker thread reads what the test committed.
    """
    from config.celery import app

    if app.conf.task_always_eager:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    queue = f"nexus-test-webhooks-{uuid.uuid4().hex[:12]}"
    settings.WEBHOOKS_QUEUE = queue
    app.conf.worker_hijack_root_logger = False
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        # use_eventloop=False: the blocking consumer loop takes each message as it arrives and
        # stops within 2 s; the event loop, run in a thread like this, sat up to 10 s on both.
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            queues=[queue],
            shutdown_timeout=15,
            use_eventloop=False,
        ):
            yield app
    finally:
        task_postrun.disconnect(_close_worker_connections)
        with app.connection_for_write() as connection:
            connection.default_channel.queue_delete(queue)
