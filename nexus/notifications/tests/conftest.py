"""Fixtures for notification tests: committing (so the outbox relays), live listeners, services mode."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.notifications import selectors


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the block schedules after commit, as a real commit would.

    The outbox relays after commit; in the test suite Celery runs tasks in-process, so the
    dispatch, its notifications and their delivery all happen when the block ends.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def cohort(db):
    return CohortFactory(slug="be-3")


@pytest.fixture
def mentor(cohort):
    return MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user


@pytest.fixture
def listen():
    """Add a fresh channel to a member's notification group, as the WebSocket consumer will."""
    layer = get_channel_layer()
    joined: list[tuple[str, str]] = []

    def join(user) -> str:
        channel = async_to_sync(layer.new_channel)()
        group = selectors.user_group(user.pk)
        async_to_sync(layer.group_add)(group, channel)
        joined.append((group, channel))
        return channel

    yield join
    for group, channel in joined:
        async_to_sync(layer.group_discard)(group, channel)


@pytest.fixture(scope="module")
def live_services():
    """PostgreSQL, Redis and RabbitMQ, reachable: the reliability tests run real workers against them.

    Skipped on embedded defaults (SQLite, no broker); with NEXUS_REQUIRE_SERVICES set a missing
    or unreachable service is a failure, never a skip.
    """
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not settings.CELERY_BROKER_URL.startswith(("amqp", "pyamqp")):
        missing.append("RabbitMQ (CELERY_BROKER_URL)")
    if not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if missing:
        message = f"needs services mode: {', '.join(missing)} not configured"
        if os.environ.get("NEXUS_REQUIRE_SERVICES"):
            pytest.fail(f"NEXUS_REQUIRE_SERVICES is set but this test {message}")
        pytest.skip(message)
    for name, url, default_port in (
        ("RabbitMQ", settings.CELERY_BROKER_URL, 5672),
        ("Redis", settings.REDIS_URL, 6379),
    ):
        parts = urlsplit(url)
        try:
            socket.create_connection((parts.hostname or "localhost", parts.port or default_port), timeout=3).close()
        except OSError as exc:
            pytest.fail(f"{name} at {parts.hostname}:{parts.port} is not reachable: {exc}")
