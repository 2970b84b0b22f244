"""Webhook mutations: mentors manage their cohort's webhooks; the secret is shown only by create and
rotate; learners and strangers are refused as REST refuses them."""

from __future__ import annotations

import pytest

from nexus.core.tests.graphql_parity import assert_refused_like_rest
from nexus.webhooks.models import Webhook, WebhookDelivery
from nexus.webhooks.tests.factories import WebhookDeliveryFactory, WebhookFactory

pytestmark = pytest.mark.django_db

ERRORS = "errors { field messages code }"
FIELDS = "databaseId cohort channel name url format eventTypes isActive createdBy"
CREATE = f"""
mutation ($input: WebhookCreateInput!) {{ createWebhook(input: $input) {{ webhook {{ {FIELDS} }} secret {ERRORS} }} }}
"""
UPDATE = f"""
mutation ($id: ID!, $input: WebhookUpdateInput!) {{
  updateWebhook(id: $id, input: $input) {{ webhook {{ name isActive }} secret {ERRORS} }}
}}
"""
DELETE = f"mutation ($id: ID!) {{ deleteWebhook(id: $id) {{ deletedId {ERRORS} }} }}"
ROTATE = f"mutation ($id: ID!) {{ rotateWebhookSecret(id: $id) {{ webhook {{ databaseId }} secret {ERRORS} }} }}"
PING = f"mutation ($id: ID!) {{ pingWebhook(id: $id) {{ delivery {{ eventType state payload }} {ERRORS} }} }}"
REDELIVER = f"""
mutation ($id: ID!, $delivery: ID!) {{
  redeliverWebhook(id: $id, delivery: $delivery) {{ delivery {{ databaseId state attempts }} {ERRORS} }}
}}
"""
NEW = {
    "cohort": "be-3",
    "name": "BE 3 on Slack",
    "url": "https://hooks.slack.com/services/T0/B0/xyz",
    "format": "slack",
    "eventTypes": ["entry.*", "thread.created"],
}


def test_a_mentor_creates_a_webhook_and_sees_the_secret_once(graphql, mentor, cohort):
    created = graphql(CREATE, {"input": NEW}, member=mentor)["data"]["createWebhook"]
    webhook = Webhook.objects.get()

    assert created["errors"] == []
    assert created["secret"] == webhook.secret and len(webhook.secret) >= 32
    assert created["webhook"] == {
        "databaseId": webhook.pk, "cohort": "be-3", "channel": None, "name": "BE 3 on Slack",
        "url": NEW["url"], "format": "slack", "eventTypes": ["entry.*", "thread.created"], "isActive": True,
        "createdBy": mentor.username,
    }  # fmt: skip
    updated = graphql(UPDATE, {"id": str(webhook.pk), "input": {"isActive": False}}, member=mentor)
    assert updated["data"]["updateWebhook"] == {
        "webhook": {"name": "BE 3 on Slack", "isActive": False},
        "secret": None,  # never shown again
        "errors": [],
    }


def test_field_errors_from_the_serializer_and_the_url_guard(graphql, mentor):
    empty = graphql(CREATE, {"input": {**NEW, "eventTypes": []}}, member=mentor)
    private = graphql(CREATE, {"input": {**NEW, "url": "http://10.0.0.1/hook"}}, member=mentor)

    assert empty["data"]["createWebhook"]["webhook"] is None
    assert [e["field"] for e in empty["data"]["createWebhook"]["errors"]] == ["eventTypes"]
    assert [(e["field"], e["code"]) for e in private["data"]["createWebhook"]["errors"]] == [("url", "url_not_allowed")]
    assert not Webhook.objects.exists()


def test_a_learner_and_anonymous_are_refused_like_rest(graphql, client_for, api_client, learner, cohort):
    webhook = WebhookFactory(cohort=cohort)

    assert (
        client_for(learner).post("/api/v1/webhooks/", {**NEW, "event_types": ["*"]}, format="json").status_code == 403
    )
    refused = graphql(CREATE, {"input": NEW}, member=learner)
    assert_refused_like_rest(refused, 403, field="createWebhook")
    assert client_for(learner).post(f"/api/v1/webhooks/{webhook.pk}/secret/").status_code == 404
    for query, field in ((ROTATE, "rotateWebhookSecret"), (PING, "pingWebhook"), (DELETE, "deleteWebhook")):
        assert_refused_like_rest(graphql(query, {"id": str(webhook.pk)}, member=learner), 404, field=field)
    assert api_client.post("/api/v1/webhooks/", NEW, format="json").status_code == 401
    assert_refused_like_rest(graphql(CREATE, {"input": NEW}), 401, field="createWebhook")
    assert Webhook.objects.get().secret == webhook.secret
    assert not WebhookDelivery.objects.exists()


def test_rotate_ping_redeliver_and_delete(graphql, mentor, cohort, monkeypatch):
    from nexus.webhooks import services

    monkeypatch.setattr(services, "_schedule", lambda ids: None)  # no request leaves the process
    webhook = WebhookFactory(cohort=cohort)

    rotated = graphql(ROTATE, {"id": str(webhook.pk)}, member=mentor)["data"]["rotateWebhookSecret"]
    assert rotated["secret"] == Webhook.objects.get(pk=webhook.pk).secret != webhook.secret

    pinged = graphql(PING, {"id": str(webhook.pk)}, member=mentor)["data"]["pingWebhook"]
    assert (pinged["delivery"]["eventType"], pinged["delivery"]["state"]) == ("webhook.ping", "pending")
    assert pinged["delivery"]["payload"]["requested_by"] == mentor.username

    pending = WebhookDeliveryFactory(webhook=webhook)
    conflict = graphql(REDELIVER, {"id": str(webhook.pk), "delivery": str(pending.pk)}, member=mentor)
    assert conflict["data"]["redeliverWebhook"]["delivery"] is None
    assert [e["code"] for e in conflict["data"]["redeliverWebhook"]["errors"]] == ["pending"]  # REST: 409
    failed = WebhookDeliveryFactory(webhook=webhook, state="failed", next_attempt_at=None, attempts=8)
    again = graphql(REDELIVER, {"id": str(webhook.pk), "delivery": str(failed.pk)}, member=mentor)
    assert again["data"]["redeliverWebhook"]["delivery"] == {"databaseId": failed.pk, "state": "pending", "attempts": 0}
    theirs = WebhookDeliveryFactory(state="failed", next_attempt_at=None)
    other = graphql(REDELIVER, {"id": str(webhook.pk), "delivery": str(theirs.pk)}, member=mentor)
    assert_refused_like_rest(other, 404, field="redeliverWebhook")

    deleted = graphql(DELETE, {"id": str(webhook.pk)}, member=mentor)
    assert deleted["data"]["deleteWebhook"] == {"deletedId": str(webhook.pk), "errors": []}
    assert not Webhook.objects.filter(pk=webhook.pk).exists()
