"""The webhooks REST contract: who may manage, the secret shown once, URL refusals, logs, query counts."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.webhooks.models import Webhook, WebhookDelivery
from nexus.webhooks.tests.factories import WebhookDeliveryFactory, WebhookFactory

pytestmark = pytest.mark.django_db

NEW = {
    "cohort": "be-3",
    "name": "BE 3 on Slack",
    "url": "https://hooks.slack.com/services/T0/B0/xyz",
    "format": "slack",
    "event_types": ["entry.*", "thread.created"],
}
FIELDS = {
    "id",
    "cohort",
    "channel",
    "name",
    "url",
    "format",
    "event_types",
    "is_active",
    "created_by",
    "created_at",
    "updated_at",
}


def test_mentor_creates_a_webhook_and_sees_the_secret_once(client_for, mentor):
    client = client_for(mentor)

    response = client.post("/api/v1/webhooks/", NEW, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS | {"secret"}
    assert body["secret"].startswith("whsec_")
    assert {k: body[k] for k in ("cohort", "name", "url", "format", "event_types", "is_active", "created_by")} == {
        **NEW,
        "is_active": True,
        "created_by": mentor.username,
    }
    detail = client.get(f"/api/v1/webhooks/{body['id']}/").json()
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert set(detail) == FIELDS and [set(item) for item in listed] == [FIELDS]
    assert body["secret"] not in str(detail) + str(listed)


@pytest.mark.parametrize(
    ("url", "reason", "detail"),
    [
        (
            "http://10.0.0.8:8080/hook",
            "private",
            "10.0.0.8 is a private-network address; Nexus does not send requests there.",
        ),
        (
            "http://[::ffff:169.254.169.254]/",
            "link_local",
            "::ffff:a9fe:a9fe is a link-local address (where cloud metadata services answer); "
            "Nexus does not send requests there.",
        ),
        ("file:///etc/passwd", "scheme", "Only http and https URLs are allowed, not file:."),
    ],
)
def test_a_url_that_can_never_pass_is_a_problem_document(client_for, mentor, url, reason, detail):
    response = client_for(mentor).post("/api/v1/webhooks/", {**NEW, "url": url}, format="json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], body["reason"], body["detail"]) == ("url_not_allowed", reason, detail)
    assert body["errors"] == {"url": [detail]}
    assert not Webhook.objects.exists()


def test_a_learner_may_not_create_and_sees_nothing(client_for, learner, cohort):
    webhook = WebhookFactory(cohort=cohort)
    client = client_for(learner)

    created = client.post("/api/v1/webhooks/", NEW, format="json")

    assert created.status_code == 403
    assert created.json()["detail"] == "Only mentors and staff of the cohort can manage its webhooks."
    assert client.get("/api/v1/webhooks/").json()["results"] == []
    for method, path in [
        ("get", f"/api/v1/webhooks/{webhook.pk}/"),
        ("patch", f"/api/v1/webhooks/{webhook.pk}/"),
        ("delete", f"/api/v1/webhooks/{webhook.pk}/"),
        ("post", f"/api/v1/webhooks/{webhook.pk}/secret/"),
        ("post", f"/api/v1/webhooks/{webhook.pk}/ping/"),
        ("get", f"/api/v1/webhooks/{webhook.pk}/deliveries/"),
    ]:
        assert getattr(client, method)(path, {}, format="json").status_code == 404, (method, path)
    assert Webhook.objects.get(pk=webhook.pk).secret == webhook.secret
    assert not WebhookDelivery.objects.exists()


def test_anonymous_is_asked_to_sign_in(api_client, cohort):
    webhook = WebhookFactory(cohort=cohort)

    assert api_client.get("/api/v1/webhooks/").status_code == 401
    assert api_client.get(f"/api/v1/webhooks/{webhook.pk}/").status_code == 401
    assert api_client.post("/api/v1/webhooks/", NEW, format="json").status_code == 401


def test_the_list_holds_the_cohorts_you_manage_and_staff_see_all(client_for, mentor, cohort):
    mine = WebhookFactory(cohort=cohort)
    other_cohort = CohortFactory(slug="fe-1")
    theirs = WebhookFactory(cohort=other_cohort)
    MembershipFactory(cohort=other_cohort, user=mentor, role=Membership.Role.LEARNER)  # learner there

    def ids(member, query=""):
        return [w["id"] for w in client_for(member).get(f"/api/v1/webhooks/{query}").json()["results"]]

    assert ids(mentor) == [mine.pk]
    assert ids(UserFactory(is_staff=True)) == [theirs.pk, mine.pk]
    assert ids(UserFactory(is_staff=True), "?cohort=fe-1") == [theirs.pk]
    assert client_for(mentor).get(f"/api/v1/webhooks/{theirs.pk}/").status_code == 404


def test_patch_changes_and_revets_the_url(client_for, cohort_staff, cohort):
    webhook = WebhookFactory(cohort=cohort)
    client = client_for(cohort_staff)

    refused = client.patch(f"/api/v1/webhooks/{webhook.pk}/", {"url": "http://0xa.1/"}, format="json")
    changed = client.patch(
        f"/api/v1/webhooks/{webhook.pk}/", {"is_active": False, "event_types": ["*"], "name": "Off"}, format="json"
    )
    invalid = client.patch(f"/api/v1/webhooks/{webhook.pk}/", {"event_types": ["Not Valid"]}, format="json")

    assert refused.status_code == 400 and refused.json()["reason"] == "private"
    assert changed.status_code == 200
    assert {k: changed.json()[k] for k in ("is_active", "event_types", "name", "url")} == {
        "is_active": False,
        "event_types": ["*"],
        "name": "Off",
        "url": webhook.url,
    }
    assert invalid.status_code == 400 and "event_types" in invalid.json()["errors"]


def test_delete_and_rotate(client_for, mentor, cohort):
    webhook = WebhookFactory(cohort=cohort)
    client = client_for(mentor)

    rotated = client.post(f"/api/v1/webhooks/{webhook.pk}/secret/")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] == Webhook.objects.get(pk=webhook.pk).secret != webhook.secret

    assert client.delete(f"/api/v1/webhooks/{webhook.pk}/").status_code == 204
    assert client.get(f"/api/v1/webhooks/{webhook.pk}/").status_code == 404


def test_delivery_log_is_newest_first_and_filters_by_state(client_for, mentor, cohort):
    webhook = WebhookFactory(cohort=cohort)
    older = WebhookDeliveryFactory(webhook=webhook, state="failed", next_attempt_at=None, attempts=8, error="HTTP 500")
    newer = WebhookDeliveryFactory(webhook=webhook)
    WebhookDeliveryFactory()  # another webhook's
    client = client_for(mentor)

    everything = client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/").json()
    failed = client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/?state=failed").json()

    assert [d["id"] for d in everything["results"]] == [newer.pk, older.pk]
    assert [(d["id"], d["attempts"], d["error"]) for d in failed["results"]] == [(older.pk, 8, "HTTP 500")]
    assert set(everything["results"][0]) == {
        "id",
        "event_id",
        "event_type",
        "state",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "status_code",
        "response_snippet",
        "error",
        "duration_ms",
        "payload",
        "created_at",
    }
    assert client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/?state=lost").status_code == 400


def test_redeliver_a_pending_delivery_is_a_conflict(client_for, mentor, cohort):
    delivery = WebhookDeliveryFactory(webhook=WebhookFactory(cohort=cohort))

    response = client_for(mentor).post(f"/api/v1/webhooks/{delivery.webhook_id}/deliveries/{delivery.pk}/redeliver/")

    assert response.status_code == 409
    assert response.json()["code"] == "pending"


def test_a_delivery_of_another_webhook_is_a_404(client_for, mentor, cohort):
    mine = WebhookFactory(cohort=cohort)
    theirs = WebhookDeliveryFactory(state="failed", next_attempt_at=None)

    response = client_for(mentor).post(f"/api/v1/webhooks/{mine.pk}/deliveries/{theirs.pk}/redeliver/")

    assert response.status_code == 404


@pytest.mark.parametrize("page_size", [2, 5])
def test_webhook_list_query_count_is_constant(client_for, cohort, mentor, django_assert_num_queries, page_size):
    for _ in range(6):
        WebhookFactory(cohort=cohort, created_by=UserFactory())
    client = client_for(mentor)

    # the bearer token's user, then one query for the page (cohort and creator joined)
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/webhooks/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [2, 5])
def test_delivery_list_query_count_is_constant(client_for, cohort, mentor, django_assert_num_queries, page_size):
    webhook = WebhookFactory(cohort=cohort)
    for _ in range(6):
        WebhookDeliveryFactory(webhook=webhook)
    client = client_for(mentor)

    # the token's user, the webhook (access check), the page
    with django_assert_num_queries(3):
        response = client.get(f"/api/v1/webhooks/{webhook.pk}/deliveries/?page_size={page_size}")
    assert len(response.json()["results"]) == page_size
