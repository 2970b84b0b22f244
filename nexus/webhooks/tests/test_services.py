"""Managing webhooks, dispatching events, and delivery attempts against a real local receiver."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.errors import ApplicationError
from nexus.core.tests.servers import Hang, Redirect, Reply
from nexus.webhooks import payloads, selectors, services
from nexus.webhooks.models import Webhook, WebhookDelivery
from nexus.webhooks.tests.factories import WebhookDeliveryFactory, WebhookFactory

pytestmark = pytest.mark.django_db

PENDING, SUCCEEDED, FAILED = (
    WebhookDelivery.State.PENDING,
    WebhookDelivery.State.SUCCEEDED,
    WebhookDelivery.State.FAILED,
)


def _create(actor, **fields):
    args = {
        "cohort": "be-3",
        "name": "BE 3 on Discord",
        "url": "https://discord.com/api/webhooks/1/token",
        "format": "discord",
        "event_types": ["entry.*"],
    }
    return services.webhook_create(actor=actor, **{**args, **fields})


def _make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def _attempt(delivery):
    state = services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return state


# --- Managing --------------------------------------------------------------------------------


def test_mentor_creates_a_webhook_with_a_new_secret_and_a_canonical_url(mentor, cohort):
    webhook = _create(mentor, url="HTTPS://Discord.COM./api/webhooks/1/token", name="  BE 3 on Discord ")

    assert webhook.cohort == cohort and webhook.created_by == mentor
    assert webhook.url == "https://discord.com/api/webhooks/1/token"
    assert webhook.name == "BE 3 on Discord"
    assert webhook.secret.startswith("whsec_") and len(webhook.secret) > 40
    assert webhook.secret != _create(mentor).secret


@pytest.mark.parametrize("role", [Membership.Role.MENTOR, Membership.Role.STAFF])
def test_cohort_mentors_and_staff_and_platform_staff_may_create(cohort, role):
    member = MembershipFactory(cohort=cohort, role=role).user

    assert _create(member).pk
    assert _create(UserFactory(is_staff=True)).pk


def test_learners_and_other_cohorts_mentors_may_not_create(cohort, learner):
    elsewhere = MembershipFactory(cohort=CohortFactory(), role=Membership.Role.MENTOR).user

    for actor in (learner, elsewhere, UserFactory()):
        with pytest.raises(PermissionDenied, match="Only mentors and staff of the cohort"):
            _create(actor)
    assert not Webhook.objects.exists()


def test_unknown_cohort_is_a_field_error(mentor):
    with pytest.raises(ValidationError) as error:
        _create(mentor, cohort="nope")

    assert error.value.message_dict == {"cohort": ["No cohort with slug 'nope'."]}


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.5/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link_local"),
        ("ftp://example.com/hook", "scheme"),
        ("http://user:pw@example.com/", "credentials"),
    ],
)
def test_a_url_the_guard_can_never_pass_is_refused_at_registration(mentor, url, reason):
    with pytest.raises(ApplicationError) as refused:
        _create(mentor, url=url)

    assert refused.value.code == "url_not_allowed" and refused.value.extra["reason"] == reason
    assert not Webhook.objects.exists()


def test_loopback_urls_register_only_when_the_setting_allows_them(mentor, settings):
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False
    with pytest.raises(ApplicationError, match="loopback"):
        _create(mentor, url="http://127.0.0.1:8080/hook")

    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = True
    assert _create(mentor, url="http://127.0.0.1:8080/hook").url == "http://127.0.0.1:8080/hook"


@pytest.mark.parametrize(
    ("event_types", "message"),
    [
        ([], "Subscribe to at least one event type"),
        (["Entry Published"], "is not an event type"),
        (["entry.*", "entry.*"], "Each event type may be listed once"),
        (["*.published"], "is not an event type"),
    ],
)
def test_event_types_are_validated(mentor, event_types, message):
    with pytest.raises(ValidationError, match=message):
        _create(mentor, event_types=event_types)


def test_a_cohort_has_a_limited_number_of_webhooks(mentor, settings):
    settings.WEBHOOKS_PER_COHORT = 2
    _create(mentor)
    _create(mentor)

    with pytest.raises(ApplicationError) as refused:
        _create(mentor)

    assert (refused.value.status, refused.value.code) == (409, "too_many_webhooks")
    assert Webhook.objects.count() == 2


def test_update_vets_a_new_url_and_keeps_the_rest(mentor):
    webhook = _create(mentor)

    with pytest.raises(ApplicationError, match="private-network"):
        services.webhook_update(actor=mentor, webhook_id=webhook.pk, url="http://192.168.1.20/")
    updated = services.webhook_update(actor=mentor, webhook_id=webhook.pk, is_active=False, event_types=["*"])

    assert updated.url == "https://discord.com/api/webhooks/1/token"
    assert (updated.is_active, updated.event_types, updated.format) == (False, ["*"], "discord")


def test_rotating_the_secret_changes_it(mentor):
    webhook = _create(mentor)

    rotated = services.webhook_secret_rotate(actor=mentor, webhook_id=webhook.pk)

    assert rotated.secret != webhook.secret and rotated.secret.startswith("whsec_")
    assert Webhook.objects.get(pk=webhook.pk).secret == rotated.secret


def test_delete_removes_the_delivery_log(mentor):
    webhook = _create(mentor)
    WebhookDeliveryFactory(webhook=webhook)

    services.webhook_delete(actor=mentor, webhook_id=webhook.pk)

    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()


# --- Dispatching -----------------------------------------------------------------------------


def test_dispatch_queues_one_delivery_per_subscribed_active_webhook(cohort):
    exact = WebhookFactory(cohort=cohort, event_types=["entry.published"])
    prefix = WebhookFactory(cohort=cohort, event_types=["entry.*"])
    everything = WebhookFactory(cohort=cohort, event_types=["*"])
    WebhookFactory(cohort=cohort, event_types=["thread.*"])
    WebhookFactory(cohort=cohort, event_types=["*"], is_active=False)
    WebhookFactory(event_types=["*"])  # another cohort

    count = services.webhooks_dispatch(
        event_id="evt-1", event_type="entry.published", cohort_id=cohort.pk, payload={"entry": 7}
    )

    assert count == 3
    deliveries = WebhookDelivery.objects.all()
    assert {d.webhook_id for d in deliveries} == {exact.pk, prefix.pk, everything.pk}
    assert all(
        (d.event_id, d.event_type, d.payload, d.state, d.attempts)
        == ("evt-1", "entry.published", {"entry": 7}, PENDING, 0)
        for d in deliveries
    )
    assert all(d.next_attempt_at <= timezone.now() for d in deliveries)


def test_dispatch_is_idempotent_per_webhook_and_event(cohort):
    WebhookFactory(cohort=cohort)
    args = {"event_id": "evt-1", "event_type": "entry.published", "cohort_id": cohort.pk, "payload": {}}

    first = services.webhooks_dispatch(**args)
    again = services.webhooks_dispatch(**args)
    late = WebhookFactory(cohort=cohort)
    third = services.webhooks_dispatch(**args)

    assert (first, again, third) == (1, 0, 1)
    assert WebhookDelivery.objects.count() == 2
    assert WebhookDelivery.objects.filter(webhook=late).count() == 1


def test_dispatch_without_a_cohort_reaches_no_webhook(cohort):
    WebhookFactory(cohort=cohort)

    assert services.webhooks_dispatch(event_id="e", event_type="x", cohort_id=None, payload={}) == 0
    assert not WebhookDelivery.objects.exists()


def test_dispatch_refuses_malformed_event_ids(cohort):
    with pytest.raises(ValueError, match="event_id"):
        services.webhooks_dispatch(event_id="", event_type="x", cohort_id=cohort.pk, payload={})
    with pytest.raises(ValueError, match="event_id"):
        services.webhooks_dispatch(event_id="e" * 101, event_type="x", cohort_id=cohort.pk, payload={})


# --- Delivering ------------------------------------------------------------------------------


def _dispatch_to(receiver, cohort, fmt="generic", path="/hook"):
    webhook = WebhookFactory(cohort=cohort, url=receiver.url(path), format=fmt)
    services.webhooks_dispatch(
        event_id="evt-7",
        event_type="entry.published",
        cohort_id=cohort.pk,
        payload={"summary": "Ada published “CORS”.", "url": "https://nexus.example/e/7", "entry": 7},
    )
    return webhook, WebhookDelivery.objects.get(webhook=webhook)


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("discord", {"content": "Ada published “CORS”.\nhttps://nexus.example/e/7", "allowed_mentions": {"parse": []}}),
        ("slack", {"text": "Ada published “CORS”.\nhttps://nexus.example/e/7"}),
        ("generic", None),
    ],
)
def test_the_receiver_gets_the_body_of_its_format_signed(receiver, cohort, fmt, expected):
    webhook, delivery = _dispatch_to(receiver, cohort, fmt)

    assert _attempt(delivery) == SUCCEEDED

    [request] = receiver.requests
    assert (request.method, request.path) == ("POST", "/hook")
    if expected is None:
        expected = {
            "id": "evt-7",
            "type": "entry.published",
            "created_at": DjangoJSONEncoder().default(delivery.created_at),
            "cohort": "be-3",
            "data": {"summary": "Ada published “CORS”.", "url": "https://nexus.example/e/7", "entry": 7},
        }
    assert json.loads(request.body) == expected
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-nexus-event"] == "entry.published"
    assert request.headers["x-nexus-event-id"] == "evt-7"
    assert request.headers["x-nexus-delivery"] == str(delivery.pk)
    assert payloads.signature_verify(
        secret=webhook.secret,
        payload=request.body,
        timestamp=request.headers["x-nexus-timestamp"],
        signature=request.headers["x-nexus-signature"],
    )
    assert not payloads.signature_verify(
        secret="whsec_wrong",
        payload=request.body,
        timestamp=request.headers["x-nexus-timestamp"],
        signature=request.headers["x-nexus-signature"],
    )
    assert (delivery.state, delivery.attempts, delivery.status_code) == (SUCCEEDED, 1, 200)
    assert (delivery.response_snippet, delivery.error, delivery.next_attempt_at) == ("thanks", "", None)
    assert delivery.duration_ms is not None and delivery.locked_until is None


def test_a_500_is_retried_after_the_backoff_and_then_succeeds(receiver, cohort):
    receiver.answer(Reply(500, b"database is down"), Reply(200, b"ok"))
    _, delivery = _dispatch_to(receiver, cohort)

    # when the first attempt fails
    assert _attempt(delivery) == PENDING

    # then it is due again after the first backoff step, 60 s +/- 20 %
    wait = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
    assert 48 <= wait <= 72.5
    assert (delivery.attempts, delivery.status_code, delivery.response_snippet) == (1, 500, "database is down")
    assert delivery.error == "The receiver answered HTTP 500."

    # and not before then
    assert _attempt(delivery) == "skipped"
    assert len(receiver.requests) == 1

    # when it is due, the second attempt succeeds with the same event and delivery ids
    _make_due(delivery)
    assert _attempt(delivery) == SUCCEEDED
    assert (delivery.attempts, delivery.status_code, delivery.error) == (2, 200, "")
    first, second = receiver.requests
    for header in ("x-nexus-event-id", "x-nexus-delivery"):
        assert first.headers[header] == second.headers[header]
    assert first.body == second.body


def test_backoff_schedule_then_failed_after_max_attempts(receiver, cohort, settings):
    settings.WEBHOOKS_MAX_ATTEMPTS = 5
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 10
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 50
    receiver.answer(Reply(503, b"busy"))
    _, delivery = _dispatch_to(receiver, cohort)

    waits = []
    for _ in range(4):
        assert _attempt(delivery) == PENDING
        waits.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())
        _make_due(delivery)
    assert _attempt(delivery) == FAILED

    nominal = [10, 20, 40, 50]
    assert all(0.8 * n - 0.5 <= w <= min(50, 1.2 * n) + 0.5 for w, n in zip(waits, nominal, strict=True)), waits
    assert (delivery.attempts, delivery.next_attempt_at, delivery.status_code) == (5, None, 503)
    assert delivery.error == "The receiver answered HTTP 503. Gave up after 5 attempts."
    assert len(receiver.requests) == 5

    # a failed delivery is not attempted again
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert _attempt(delivery) == "skipped"
    assert len(receiver.requests) == 5


def test_retry_after_from_the_receiver_is_honoured(receiver, cohort):
    receiver.answer(Reply(429, b"slow down", {"Retry-After": "900"}))
    _, delivery = _dispatch_to(receiver, cohort)

    assert _attempt(delivery) == PENDING
    assert (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds() >= 899


@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_client_error_fails_at_once(receiver, cohort, status):
    receiver.answer(Reply(status, b"no such hook"))
    _, delivery = _dispatch_to(receiver, cohort)

    assert _attempt(delivery) == FAILED
    assert (delivery.attempts, delivery.status_code, delivery.next_attempt_at) == (1, status, None)


def test_a_redirect_is_not_followed(local_server, receiver, cohort):
    elsewhere = local_server()
    receiver.answer(Redirect(elsewhere.url("/moved")))
    _, delivery = _dispatch_to(receiver, cohort)

    assert _attempt(delivery) == FAILED
    assert delivery.status_code == 302
    assert "Webhooks do not follow redirects" in delivery.error
    assert elsewhere.requests == []


def test_a_guard_refusal_is_a_failed_delivery_without_a_request(receiver, cohort, settings):
    _, delivery = _dispatch_to(receiver, cohort)
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = False  # e.g. the setting was switched off since

    assert _attempt(delivery) == FAILED

    assert receiver.requests == []
    assert (delivery.attempts, delivery.status_code, delivery.next_attempt_at) == (1, None, None)
    assert delivery.error == (
        "Refused by the outbound guard (loopback): 127.0.0.1 is a loopback address (this machine); "
        "Nexus does not send requests there."
    )


def test_a_name_resolving_to_a_private_address_is_refused_when_sending(receiver, cohort, fake_dns):
    fake_dns["hooks.nexus-test.example"] = ["10.20.30.40"]
    webhook = WebhookFactory(cohort=cohort, url=receiver.url("/", host="hooks.nexus-test.example"))
    services.webhooks_dispatch(event_id="e", event_type="entry.published", cohort_id=cohort.pk, payload={})
    delivery = WebhookDelivery.objects.get(webhook=webhook)

    assert _attempt(delivery) == FAILED
    assert "(private): hooks.nexus-test.example resolves to 10.20.30.40" in delivery.error
    assert receiver.requests == []


def test_a_receiver_that_hangs_times_out_and_is_retried(receiver, cohort, settings):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    receiver.answer(Hang(30))
    _, delivery = _dispatch_to(receiver, cohort)

    assert _attempt(delivery) == PENDING
    assert delivery.error.startswith("timeout: 127.0.0.1 ")
    assert delivery.status_code is None and delivery.duration_ms >= 900


def test_an_unresolvable_name_is_retried(receiver, cohort, fake_dns):
    webhook = WebhookFactory(cohort=cohort, url="https://gone.nexus-test.example/hook")
    delivery = WebhookDeliveryFactory(webhook=webhook)

    assert _attempt(delivery) == PENDING
    assert delivery.error.startswith("dns: gone.nexus-test.example could not be resolved")


def test_a_webhook_deactivated_after_dispatch_does_not_send(receiver, cohort):
    webhook, delivery = _dispatch_to(receiver, cohort)
    Webhook.objects.filter(pk=webhook.pk).update(is_active=False)

    assert _attempt(delivery) == FAILED
    assert delivery.error == "The webhook was deactivated before this delivery was sent."
    assert receiver.requests == []


def test_an_attempt_in_flight_holds_the_delivery(receiver, cohort):
    _, delivery = _dispatch_to(receiver, cohort)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(locked_until=timezone.now() + timedelta(seconds=60))

    assert _attempt(delivery) == "skipped"
    assert receiver.requests == [] and delivery.attempts == 0

    # a lease that ran out (its worker died) frees the delivery
    WebhookDelivery.objects.filter(pk=delivery.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _attempt(delivery) == SUCCEEDED
    assert len(receiver.requests) == 1


def test_an_attempt_at_a_deleted_delivery_does_nothing():
    assert services.delivery_attempt(delivery_id=987654) == "skipped"


def test_ping_sends_even_to_an_inactive_webhook(receiver, cohort, mentor):
    webhook = WebhookFactory(cohort=cohort, url=receiver.url("/"), format="discord", is_active=False, name="Feed")

    delivery = services.webhook_ping(actor=mentor, webhook_id=webhook.pk)

    assert (delivery.event_type, delivery.state) == ("webhook.ping", PENDING)
    assert delivery.event_id.startswith("ping-")
    assert _attempt(delivery) == SUCCEEDED
    assert json.loads(receiver.requests[0].body)["content"] == "Nexus test ping for the webhook “Feed”."


def test_redeliver_starts_a_finished_delivery_over(receiver, cohort, mentor):
    receiver.answer(Reply(410, b"gone"), Reply(200, b"back"))
    webhook, delivery = _dispatch_to(receiver, cohort)
    assert _attempt(delivery) == FAILED

    again = services.delivery_redeliver(actor=mentor, webhook_id=webhook.pk, delivery_id=delivery.pk)

    assert (again.state, again.attempts) == (PENDING, 0)
    assert _attempt(delivery) == SUCCEEDED
    with pytest.raises(ApplicationError):  # not while pending
        WebhookDelivery.objects.filter(pk=delivery.pk).update(state=PENDING, next_attempt_at=timezone.now())
        services.delivery_redeliver(actor=mentor, webhook_id=webhook.pk, delivery_id=delivery.pk)


def test_due_deliveries_are_the_pending_unheld_ones_whose_time_came(cohort):
    now = timezone.now()
    due = WebhookDeliveryFactory(next_attempt_at=now - timedelta(seconds=5))
    lease_over = WebhookDeliveryFactory(
        next_attempt_at=now - timedelta(seconds=9), locked_until=now - timedelta(seconds=1)
    )
    WebhookDeliveryFactory(next_attempt_at=now + timedelta(seconds=60))  # not yet
    WebhookDeliveryFactory(next_attempt_at=now - timedelta(seconds=5), locked_until=now + timedelta(seconds=60))
    WebhookDeliveryFactory(state=SUCCEEDED, next_attempt_at=None)
    WebhookDeliveryFactory(state=FAILED, next_attempt_at=None)

    assert selectors.deliveries_due(now=now, limit=10) == [lease_over.pk, due.pk]
    assert selectors.deliveries_due(now=now, limit=1) == [lease_over.pk]
    assert services.deliveries_retry_due() == 2


def test_a_pending_delivery_must_have_a_due_time():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        WebhookDeliveryFactory(next_attempt_at=None)
