"""Through Celery: in-process in embedded mode, a real worker on the real broker in services mode."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from config.celery import app
from nexus.core.tests.servers import Reply
from nexus.webhooks import payloads, services, tasks
from nexus.webhooks.models import WebhookDelivery
from nexus.webhooks.tests.conftest import wait_for
from nexus.webhooks.tests.factories import WebhookDeliveryFactory, WebhookFactory

SUCCEEDED = WebhookDelivery.State.SUCCEEDED
committed = pytest.mark.django_db(transaction=True)


def _state(delivery_id):
    """(state, attempts) once an attempt is recorded; None while one is in flight."""
    state, attempts, held = WebhookDelivery.objects.values_list("state", "attempts", "locked_until").get(pk=delivery_id)
    return None if held else (state, attempts)


def _dispatch(cohort, event_id="evt-1"):
    return services.webhooks_dispatch(
        event_id=event_id, event_type="entry.published", cohort_id=cohort.pk, payload={"summary": "New entry"}
    )


def test_delivery_task_acknowledges_late_and_beat_knows_the_due_task():
    assert tasks.webhook_delivery_send.acks_late is True
    assert tasks.webhook_delivery_send.reject_on_worker_lost is True
    assert tasks.webhook_delivery_send.name == "webhooks.delivery_send"
    schedule = django_settings.CELERY_BEAT_SCHEDULE["webhooks-deliver-due"]
    assert schedule["task"] == tasks.webhook_deliveries_due.name
    assert schedule["task"] in app.tasks


@committed
def test_an_event_is_delivered_once_its_transaction_commits(receiver, cohort, celery_worker):
    # given
    webhook = WebhookFactory(cohort=cohort, url=receiver.url("/hook"))

    # when the event is dispatched inside the transaction of the change that caused it
    with transaction.atomic():
        assert _dispatch(cohort) == 1
        assert receiver.requests == []  # nothing leaves before the commit

    # then the worker delivers it, signed
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert wait_for(lambda: _state(delivery.pk) == (SUCCEEDED, 1)), _state(delivery.pk)
    [request] = receiver.requests
    assert payloads.signature_verify(
        secret=webhook.secret,
        payload=request.body,
        timestamp=request.headers["x-nexus-timestamp"],
        signature=request.headers["x-nexus-signature"],
    )


@committed
def test_a_rolled_back_event_is_never_delivered(receiver, cohort, celery_worker):
    WebhookFactory(cohort=cohort, url=receiver.url("/hook"))

    with pytest.raises(RuntimeError), transaction.atomic():
        _dispatch(cohort)
        raise RuntimeError("the change failed")

    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


@committed
def test_a_failed_attempt_is_retried_by_the_beat_task(receiver, cohort, celery_worker, settings):
    # given a receiver that fails once
    receiver.answer(Reply(500, b"oops"), Reply(200, b"ok"))
    webhook = WebhookFactory(cohort=cohort, url=receiver.url("/hook"))
    _dispatch(cohort)
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert wait_for(lambda: _state(delivery.pk) == ("pending", 1)), _state(delivery.pk)

    # when its retry is due and beat's task runs
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    tasks.webhook_deliveries_due.apply_async(queue=settings.WEBHOOKS_QUEUE or None)

    # then the second attempt delivers it
    assert wait_for(lambda: _state(delivery.pk) == (SUCCEEDED, 2)), _state(delivery.pk)
    assert [r.headers["x-nexus-event-id"] for r in receiver.requests] == ["evt-1", "evt-1"]


@committed
def test_ping_through_the_api(client_for, mentor, receiver, cohort, celery_worker):
    webhook = WebhookFactory(cohort=cohort, url=receiver.url("/ping"), format="slack")

    response = client_for(mentor).post(f"/api/v1/webhooks/{webhook.pk}/ping/")

    assert response.status_code == 202
    body = response.json()
    assert body["event_type"] == "webhook.ping" and body["state"] in {"pending", "succeeded"}
    assert wait_for(lambda: _state(body["id"]) == (SUCCEEDED, 1))
    assert receiver.requests[0].body == payloads.body(
        "slack",
        payloads.Event(
            "x",
            "webhook.ping",
            timezone.now(),
            "be-3",
            {"summary": f"Nexus test ping for the webhook “{webhook.name}”."},
        ),
    )


@committed
def test_the_command_hands_due_deliveries_to_the_worker(receiver, cohort, celery_worker):
    delivery = WebhookDeliveryFactory(webhook=WebhookFactory(cohort=cohort, url=receiver.url("/")))
    out = io.StringIO()

    call_command("webhooks", "deliver-due", stdout=out)

    assert out.getvalue() == "1 due deliveries handed to the worker.\n"
    assert wait_for(lambda: _state(delivery.pk) == (SUCCEEDED, 1))


@pytest.mark.django_db
def test_a_repeated_task_message_sends_once(receiver, cohort):
    delivery = WebhookDeliveryFactory(webhook=WebhookFactory(cohort=cohort, url=receiver.url("/")))

    # the task body, as a worker runs it for each copy of the message
    assert tasks.webhook_delivery_send(delivery.pk) == SUCCEEDED
    assert tasks.webhook_delivery_send(delivery.pk) == "skipped"

    assert len(receiver.requests) == 1
