"""A small but complete site, and every page of it: what the page tests and the screenshots visit.

`build()` loads the demo data set (`manage.py demo`: two programs, their cohorts, ada, grace and
linus with imported hubs, a mentor and an admin, and on ada's first challenge grace's comment with
ada's reply and two reactions) and adds what the demo has none of: a deleted comment with a reply
on that challenge, a channel with a conversation, a registered API with two schema versions and
health checks, and the notifications these cause.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from nexus.accounts.models import User
from nexus.discussions import services as discussion_services
from nexus.discussions.models import Comment
from nexus.hubs.models import Entry, Hub
from nexus.registry import services as registry_services
from nexus.registry.models import HealthCheck, RegisteredApi


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str | None  # username to sign in as, or a visitor


def _schema(*, with_delete: bool) -> str:
    item = {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}
    ok = {"200": {"description": "OK", "content": {"application/json": {"schema": item}}}}
    paths: dict[str, dict[str, object]] = {
        "/api/entries/": {
            "get": {"operationId": "entries_list", "summary": "List entries", "responses": ok},
            "post": {"operationId": "entries_create", "summary": "Create an entry", "responses": ok},
        },
        "/api/entries/{id}/": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"operationId": "entries_retrieve", "summary": "One entry", "responses": ok},
        },
        "/api/token/": {"post": {"operationId": "token_obtain", "summary": "Get a token pair", "responses": ok}},
    }
    if with_delete:
        paths["/api/entries/{id}/"]["delete"] = {
            "operationId": "entries_destroy",
            "responses": {"204": {"description": "Gone"}},
        }
    else:
        paths["/api/topics/"] = {"get": {"operationId": "topics_list", "summary": "List topics", "responses": ok}}
    return json.dumps({"openapi": "3.0.3", "info": {"title": "Ada's API", "version": "1.0.0"}, "paths": paths})


def build() -> dict[str, object]:
    """Create the site; returns the ids the pages need."""
    call_command("topics", "sync", verbosity=0)
    call_command("demo", verbosity=0)
    ada, grace, mentor = (User.objects.get(username=name) for name in ("ada", "grace", "mentor"))
    cohort = "prodev-be-demo"

    channel = discussion_services.channel_create(actor=mentor, cohort=cohort, name="General", topic="Anything goes")
    discussion_services.channel_create(actor=mentor, cohort=cohort, name="Celery and RabbitMQ")
    thread = discussion_services.thread_create(
        actor=ada,
        channel_id=channel.pk,
        title="Celery tasks hang behind RabbitMQ",
        body="My worker starts before the broker and the first tasks never run. Anyone seen this?",
    )
    reply = discussion_services.message_post(
        actor=grace,
        thread_id=thread.pk,
        body="Yes @ada: retry the broker connection on startup (`broker_connection_retry_on_startup`).",
    )
    discussion_services.message_react(actor=ada, message_id=reply.pk, emoji="tada", on=True)
    discussion_services.message_post(actor=ada, thread_id=thread.pk, body="That fixed it, thank you! 🎉")

    api = registry_services.api_create(
        actor=ada,
        name="Ada's Entries API",
        slug="ada-entries",
        description="Entries and topics of Ada's hub, for the frontend cohort.",
        base_url="https://ada-api.example.com",
        schema_text=_schema(with_delete=True),
        health_url="https://ada-api.example.com/health/",
        visibility=RegisteredApi.Visibility.PUBLIC,
    )
    registry_services.api_update(actor=ada, slug=api.slug, schema_text=_schema(with_delete=False))
    now = timezone.now()
    for i in range(24):
        HealthCheck.objects.create(
            api=api,
            checked_at=now - timedelta(hours=i),
            ok=i != 5,
            status_code=200 if i != 5 else 502,
            latency_ms=35 + i,
        )
    RegisteredApi.objects.filter(pk=api.pk).update(health_state="up", last_checked_at=now)

    entry = Entry.objects.filter(hub__owner=ada, kind=Entry.Kind.CHALLENGE).order_by("position").first()
    assert entry is not None
    # The demo's comments are grace's question with ada's reply; a deleted comment keeps its reply.
    question = Comment.objects.get(entry=entry, author=grace, parent=None)
    gone = discussion_services.comment_add(
        actor=mentor, entry_id=entry.pk, body="Could the health check go in the solution too?"
    )
    discussion_services.comment_add(
        actor=ada,
        entry_id=entry.pk,
        parent_id=gone.pk,
        body="Added it to the solution, with the setting's page: "
        "https://docs.celeryq.dev/en/stable/userguide/configuration.html#broker-connection-retry-on-startup",
    )
    discussion_services.comment_delete(actor=mentor, comment_id=gone.pk)
    return {
        "entry": entry.pk,
        "comment": question.pk,
        "problem": entry.problem_link.problem_id,
        "hub": Hub.objects.get(owner=ada).slug,
        "channel": channel.pk,
        "thread": thread.pk,
        "api": api.slug,
        "cohort": cohort,
    }


def pages(ids: dict[str, object]) -> list[Page]:
    """Every page of the site, each as the member who would see it."""
    return [
        Page("home", "/", None),
        Page("home-signed-in", "/", "ada"),
        Page("sign-in", "/accounts/login/", None),
        Page("sign-up", "/accounts/signup/", None),
        Page("profile", "/accounts/profile/", "ada"),
        Page("notification-settings", "/accounts/notifications/", "ada"),
        Page("hubs", "/hubs/", "ada"),
        Page("hub", "/@ada/", "grace"),
        Page("hub-import", "/hubs/import/", "ada"),
        Page("hub-settings", f"/hubs/{ids['hub']}/settings/", "ada"),
        Page("hub-manage", f"/hubs/{ids['hub']}/manage/", "ada"),
        Page("entry", f"/entries/{ids['entry']}/", "grace"),
        Page("entry-edit", f"/entries/{ids['entry']}/edit/", "ada"),
        Page("comment-edit", f"/entries/comments/{ids['comment']}/edit/", "grace"),
        Page("entry-history", f"/entries/{ids['entry']}/history/", "ada"),
        Page("knowledge", "/knowledge/", "grace"),
        Page("problem", f"/knowledge/problems/{ids['problem']}/", "grace"),
        Page("problem-curator", f"/knowledge/problems/{ids['problem']}/", "mentor"),
        Page("problem-rename", f"/knowledge/problems/{ids['problem']}/rename/", "mentor"),
        Page("problem-merge", f"/knowledge/problems/{ids['problem']}/merge/?q=celery", "mentor"),
        Page("problem-split", f"/knowledge/problems/{ids['problem']}/split/", "mentor"),
        Page("search", "/search/?q=celery", "grace"),
        Page("topics", "/topics/", None),
        Page("topic", "/topics/django/", "grace"),
        Page("registry", "/registry/", "linus"),
        Page("registry-api", f"/registry/{ids['api']}/", "linus"),
        Page("channels", "/channels/", "ada"),
        Page("channel", f"/channels/{ids['channel']}/", "ada"),
        Page("thread", f"/channels/threads/{ids['thread']}/", "ada"),
        Page("notifications", "/notifications/", "ada"),
        Page("insights", "/insights/", "mentor"),
        Page("insights-cohort", f"/insights/{ids['cohort']}/", "mentor"),
        Page("not-found", "/no-such-page/", None),
    ]
