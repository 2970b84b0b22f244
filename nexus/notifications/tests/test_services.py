"""Follows, the notifications each producer's event makes (once), live delivery and e-mail."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core import events
from nexus.core.errors import ApplicationError
from nexus.core.models import OutboxEvent
from nexus.hubs import services as hub_services
from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.factories import ChallengeFactory, HubFactory
from nexus.knowledge import services as knowledge_services
from nexus.notifications import selectors, services
from nexus.notifications.models import EmailMode, Kind, MemberFollow, Notification, TopicFollow
from nexus.notifications.tests.factories import (
    NotificationFactory,
    NotificationPreferenceFactory,
    TopicFollowFactory,
)
from nexus.notifications.tests.live import drain
from nexus.topics.models import Topic
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

ADA_README = (Path(__file__).resolve().parents[2] / "hubs" / "demo" / "ada.md").read_text(encoding="utf-8")


# --- follows ---------------------------------------------------------------------------------------


def test_following_a_member_notifies_them_once(commit):
    # given
    ada, grace = UserFactory(username="ada"), UserFactory(username="grace")

    # when
    with commit():
        follow, created = services.member_follow(actor=ada, username="GRACE")

    # then
    assert created and (follow.follower, follow.followed) == (ada, grace)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.actor) == (grace, Kind.NEW_FOLLOWER, ada)
    assert notification.text == f"{ada.profile.name} started following you"
    assert (notification.url, notification.target_type, notification.target_id) == (
        "/api/v1/members/ada/",
        "member",
        ada.pk,
    )
    assert notification.event_id == OutboxEvent.objects.get(type="member.followed").pk
    assert notification.email == EmailMode.DIGEST and notification.read_at is None

    # and following again, or after unfollowing, does not notify again
    with commit():
        assert services.member_follow(actor=ada, username="grace")[1] is False
        assert services.member_unfollow(actor=ada, username="grace") is True
        assert services.member_follow(actor=ada, username="grace")[1] is True
    assert Notification.objects.count() == 1
    assert MemberFollow.objects.count() == 1


def test_nobody_follows_themselves_or_a_stranger_to_the_site(commit):
    ada = UserFactory(username="ada")
    UserFactory(username="gone", is_active=False)

    with commit():
        with pytest.raises(ApplicationError) as refused:
            services.member_follow(actor=ada, username="ada")
        with pytest.raises(Http404):
            services.member_follow(actor=ada, username="gone")

    assert (refused.value.code, refused.value.status, refused.value.message) == (
        "self_follow",
        400,
        "You cannot follow yourself.",
    )
    assert not MemberFollow.objects.exists()
    assert not OutboxEvent.objects.exists()
    assert not Notification.objects.exists()


def test_a_follow_undone_before_its_event_is_handled_notifies_nobody(commit):
    ada, grace = UserFactory(), UserFactory()
    services.member_follow(actor=ada, username=grace.username)  # its relay waits for a commit
    services.member_unfollow(actor=ada, username=grace.username)

    with commit():
        assert events.relay(event_ids=[OutboxEvent.objects.get().pk]) == 1

    assert OutboxEvent.objects.get().state == "processed"
    assert not Notification.objects.exists()


def test_topic_follows_are_idempotent_and_404_for_unknown_topics():
    ada = UserFactory()
    topic = TopicFactory(slug="django")

    assert services.topic_follow(actor=ada, slug="django")[1] is True
    assert services.topic_follow(actor=ada, slug="django")[1] is False
    with pytest.raises(Http404):
        services.topic_follow(actor=ada, slug="nope")
    assert services.topic_unfollow(actor=ada, slug="django") is True
    assert services.topic_unfollow(actor=ada, slug="django") is False
    assert not TopicFollow.objects.filter(topic=topic).exists()


# --- entries on followed topics ----------------------------------------------------------------------


@pytest.fixture
def topics(db):
    django = TopicFactory(slug="django", name="Django")
    orm = TopicFactory(slug="django-orm", name="Django ORM", parent=django)
    return django, orm


def test_a_published_entry_notifies_the_followers_who_may_read_it(commit, cohort, topics):
    # given a cohort-only hub, and followers of its topic or of the topic's parent
    django, orm = topics
    author = MembershipFactory(cohort=cohort).user
    hub = HubFactory(owner=author, program=cohort.program, cohort=cohort, visibility=Hub.Visibility.COHORT)
    classmate = MembershipFactory(cohort=cohort).user
    parent_follower = MembershipFactory(cohort=cohort).user
    stranger = UserFactory()  # not in the cohort: may not read the hub
    for follower, topic in [(classmate, orm), (parent_follower, django), (stranger, orm), (author, orm)]:
        TopicFollowFactory(follower=follower, topic=topic)

    # when
    with commit():
        entry = hub_services.entry_create(
            actor=author,
            hub=hub.pk,
            kind="learning",
            title="Querysets are lazy",
            topics=["django-orm"],
            status="published",
        )

    # then
    name = author.profile.name
    got = {(n.recipient, n.text, n.target_type, n.target_id, n.url) for n in Notification.objects.all()}
    assert got == {
        (
            classmate,
            f"{name} published “Querysets are lazy” on Django ORM",
            "entry",
            entry.pk,
            f"/api/v1/entries/{entry.pk}/",
        ),
        (
            parent_follower,
            f"{name} published “Querysets are lazy” on Django",
            "entry",
            entry.pk,
            f"/api/v1/entries/{entry.pk}/",
        ),
    }
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.FOLLOWED_TOPIC_ENTRY}


def test_an_entry_is_announced_when_first_published_and_only_then(commit, topics):
    _, orm = topics
    hub = HubFactory(visibility=Hub.Visibility.PUBLIC)
    follower = TopicFollowFactory(topic=orm).follower

    with commit():
        draft = hub_services.entry_create(actor=hub.owner, hub=hub.pk, kind="note", title="N+1", topics=["django-orm"])
    assert not Notification.objects.exists()

    with commit():
        hub_services.entry_update(actor=hub.owner, entry_id=draft.pk, data={"status": "published"})
    assert list(Notification.objects.values_list("recipient", flat=True)) == [follower.pk]

    with commit():
        hub_services.entry_update(actor=hub.owner, entry_id=draft.pk, data={"status": "draft"})
        hub_services.entry_update(actor=hub.owner, entry_id=draft.pk, data={"status": "published"})
        hub_services.entry_update(actor=hub.owner, entry_id=draft.pk, data={"title": "N+1 queries"})
    assert Notification.objects.count() == 1


def test_a_readme_import_is_one_notification_per_follower(commit, taxonomy):
    # given a follower of RabbitMQ, a topic several entries of the README are about
    membership = MembershipFactory()
    learner = membership.user
    hub = hub_services.hub_create(
        actor=learner, program=membership.cohort.program.slug, title="Kofi's hub", visibility="public"
    )
    rabbitmq = Topic.objects.get(slug="rabbitmq")
    assert not rabbitmq.children.exists()
    follower = TopicFollowFactory(topic=rabbitmq).follower

    # when
    with commit():
        hub_services.hub_import_readme(actor=learner, markdown=ADA_README)

    # then
    about = Entry.objects.filter(hub=hub, topics=rabbitmq).count()
    assert about >= 2
    notification = Notification.objects.get()
    assert notification.recipient == follower
    assert notification.text == f"{learner.profile.name} published {about} entries on topics you follow"
    assert (notification.target_type, notification.target_id, notification.url) == (
        "hub",
        hub.pk,
        f"/api/v1/hubs/{hub.slug}/",
    )


def test_the_queries_of_a_publish_do_not_grow_with_its_followers(cohort, topics, django_assert_num_queries):
    # given a cohort hub's entry, and followers of its topic in the cohort (readers) and outside it
    django, orm = topics
    author = MembershipFactory(cohort=cohort).user
    hub = HubFactory(owner=author, program=cohort.program, cohort=cohort, visibility=Hub.Visibility.COHORT)
    entry = ChallengeFactory(hub=hub)
    entry.topics.set([orm])

    def follow(count: int) -> None:
        for i in range(count):
            follower = MembershipFactory(cohort=cohort).user if i % 3 else UserFactory()
            TopicFollowFactory(follower=follower, topic=orm if i % 2 else django)

    # entries with hubs, their topics, the author, the topic tree, the follows with their
    # followers, the topic names, the entries' visibility facts, the followers' memberships of
    # the hub's cohort; the notifications made before, e-mail modes, the insert, the new rows
    follow(3)
    with django_assert_num_queries(12):
        few = services.notify_followed_topic_entries(event_id=uuid.uuid4(), entry_ids=[entry.pk], author_id=author.pk)
    follow(27)
    with django_assert_num_queries(12):
        many = services.notify_followed_topic_entries(event_id=uuid.uuid4(), entry_ids=[entry.pk], author_id=author.pk)

    # then only the followers in the cohort hear of it, every time
    readers = set(Membership.objects.filter(cohort=cohort).exclude(user=author).values_list("user", flat=True))
    assert (len(few), len(many)) == (2, 20)
    assert {n.recipient_id for n in many} == readers


# --- solutions ---------------------------------------------------------------------------------------


def test_confirming_a_solution_tells_its_author_once(commit):
    entry = ChallengeFactory(title="CORS between React and DRF")
    member = UserFactory()

    with commit():
        knowledge_services.solution_confirm(actor=member, entry_id=entry.pk)
    with commit():
        knowledge_services.solution_unconfirm(actor=member, entry_id=entry.pk)
        knowledge_services.solution_confirm(actor=member, entry_id=entry.pk)

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.actor) == (
        entry.hub.owner,
        Kind.SOLUTION_CONFIRMED,
        member,
    )
    assert (
        notification.text == f"{member.profile.name} says your solution worked for them: “CORS between React and DRF”"
    )
    assert (notification.target_type, notification.target_id) == ("entry", entry.pk)


def test_verifying_a_solution_tells_its_author(commit, cohort, mentor):
    author = MembershipFactory(cohort=cohort, role=Membership.Role.LEARNER).user
    hub = HubFactory(owner=author, program=cohort.program, cohort=cohort)
    entry = ChallengeFactory(hub=hub, title="Celery stuck")

    with commit():
        knowledge_services.solution_verify(actor=mentor, entry_id=entry.pk)

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (author, Kind.SOLUTION_VERIFIED)
    assert notification.text == f"{mentor.profile.name} verified your solution to “Celery stuck”"
    assert notification.email == EmailMode.IMMEDIATE


# --- any app: notification_request ---------------------------------------------------------------------


def test_another_app_names_the_recipients_and_each_is_notified_once(commit):
    # given
    ada, grace, linus = UserFactory(), UserFactory(), UserFactory()
    gone = UserFactory(is_active=False)

    # when
    with commit():
        event = services.notification_request(
            kind=Kind.MENTION,
            recipient_ids=[grace.pk, linus.pk, ada.pk, gone.pk, grace.pk],
            actor_id=ada.pk,
            text="ada mentioned you in #general",
            url="/api/v1/threads/7/",
            target_type="thread",
            target_id=7,
        )

    # then: not the actor, not an inactive member
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.kind, n.text, n.target_type, n.target_id) for n in rows] == [
        (grace.pk, "mention", "ada mentioned you in #general", "thread", 7),
        (linus.pk, "mention", "ada mentioned you in #general", "thread", 7),
    ]
    # a redelivered message does nothing ...
    assert events.dispatch(event_id=event.pk, redelivered=True) == "duplicate"
    # ... and even with the "processed" mark lost, the effect is unique per event
    OutboxEvent.objects.filter(pk=event.pk).update(processed_at=None)
    with commit():
        assert events.dispatch(event_id=event.pk) == "processed"
    assert Notification.objects.count() == 2


def test_an_unknown_kind_is_refused_up_front():
    with pytest.raises(ValueError, match="Unknown notification kind 'poke'"):
        services.notification_request(kind="poke", recipient_ids=[1], text="Poke")
    assert not OutboxEvent.objects.exists()


# --- live ----------------------------------------------------------------------------------------------


def test_a_notification_is_pushed_to_the_recipients_group_after_commit(commit, listen, client_for):
    # given grace's group has a listener, and so has ada's
    ada, grace = UserFactory(), UserFactory()
    graces, adas = listen(grace), listen(ada)

    # when
    with commit():
        services.member_follow(actor=ada, username=grace.username)

    # then grace gets exactly the notification the API lists, once; ada nothing
    messages = drain(graces)
    listed = client_for(grace).get("/api/v1/notifications/").json()["results"]
    assert messages == [{"type": "notification.created", "notification": listed[0]}]
    assert listed[0]["kind"] == "new_follower" and listed[0]["actor"] == ada.username
    assert drain(adas, first=0.2) == []


# --- e-mail -------------------------------------------------------------------------------------------


def test_an_immediate_preference_sends_one_email_after_commit(commit, mailoutbox, settings):
    settings.SITE_URL = "https://nexus.example"
    ada, grace = UserFactory(username="ada"), UserFactory(username="grace")
    NotificationPreferenceFactory(user=grace, kind=Kind.NEW_FOLLOWER, email=EmailMode.IMMEDIATE)

    with commit():
        services.member_follow(actor=ada, username="grace")
        assert mailoutbox == []

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [grace.email]
    assert mail.subject == f"Nexus: {ada.profile.name} started following you"
    assert mail.body.startswith(
        f"{ada.profile.name} started following you\n\nhttps://nexus.example/api/v1/members/ada/\n"
    )
    assert "https://nexus.example/api/v1/me/preferences/notifications/" in mail.body
    assert Notification.objects.get().emailed_at is not None
    # the catch-up finds nothing left to send
    assert services.notifications_email_pending(older_than=timedelta(0)) == 0
    assert len(mailoutbox) == 1


def test_the_catch_up_sends_immediate_emails_that_were_missed(mailoutbox):
    missed = NotificationFactory(email=EmailMode.IMMEDIATE)
    NotificationFactory(email=EmailMode.IMMEDIATE, read_at=timezone.now())  # read: no mail
    recent = NotificationFactory(email=EmailMode.IMMEDIATE)
    Notification.objects.exclude(pk=recent.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    assert services.notifications_email_pending() == 1

    assert [m.to for m in mailoutbox] == [[missed.recipient.email]]
    missed.refresh_from_db()
    assert missed.emailed_at is not None


def test_email_off_sends_nothing_ever(commit, mailoutbox):
    ada, grace = UserFactory(), UserFactory()
    services.notification_preferences_update(actor=grace, email={Kind.NEW_FOLLOWER: EmailMode.OFF})

    with commit():
        services.member_follow(actor=ada, username=grace.username)
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1))

    assert services.notifications_email_pending() == 0
    assert services.notifications_digest_send() == 0
    assert mailoutbox == []
    assert Notification.objects.get().email == EmailMode.OFF


def test_the_digest_is_one_email_per_member_with_their_unread_notifications(mailoutbox, settings):
    # given
    settings.SITE_URL = "https://nexus.example"
    grace = UserFactory()
    first = NotificationFactory(recipient=grace, email=EmailMode.DIGEST, text="First", url="/api/v1/entries/1/")
    seen = NotificationFactory(recipient=grace, email=EmailMode.DIGEST, text="Seen", read_at=timezone.now())
    second = NotificationFactory(recipient=grace, email=EmailMode.DIGEST, text="Second", url="")
    immediate = NotificationFactory(recipient=grace, email=EmailMode.IMMEDIATE, text="Now")
    other = NotificationFactory(email=EmailMode.DIGEST, text="Someone else's")

    # when
    assert services.notifications_digest_send() == 2

    # then
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {grace.email, other.recipient.email}
    assert mails[grace.email].subject == "Nexus: 2 new notifications"
    assert mails[grace.email].body.startswith(
        "What happened since your last digest:\n\n- First\n  https://nexus.example/api/v1/entries/1/\n- Second\n"
    )
    assert mails[other.recipient.email].subject == "Nexus: 1 new notification"
    for notification in (first, seen, second, other):
        notification.refresh_from_db()
        assert notification.emailed_at is not None
    immediate.refresh_from_db()
    assert immediate.emailed_at is None
    # and the next digest has nothing to say
    assert services.notifications_digest_send() == 0
    assert len(mailoutbox) == 2


# --- reading and preferences ------------------------------------------------------------------------------


def test_marking_read_is_idempotent_and_only_for_the_recipient():
    notification = NotificationFactory()

    first = services.notification_mark_read(actor=notification.recipient, notification_id=notification.pk)
    again = services.notification_mark_read(actor=notification.recipient, notification_id=notification.pk)

    assert first.read_at is not None and again.read_at == first.read_at
    with pytest.raises(Http404):
        services.notification_mark_read(actor=UserFactory(), notification_id=notification.pk)


def test_mark_all_read_stops_at_the_newest_one_seen():
    grace = UserFactory()
    older, seen, newer = (NotificationFactory(recipient=grace) for _ in range(3))
    NotificationFactory()  # someone else's

    assert services.notifications_mark_all_read(actor=grace, up_to=seen.pk) == 2

    assert list(Notification.objects.filter(read_at__isnull=True).values_list("pk", flat=True).order_by("pk")) == [
        newer.pk,
        Notification.objects.exclude(recipient=grace).get().pk,
    ]
    assert services.notifications_mark_all_read(actor=grace) == 1
    assert selectors.notification_unread_count(actor=grace) == 0
    assert older.pk < seen.pk


def test_preferences_default_per_kind_and_turning_one_off_cancels_its_pending_emails():
    grace = UserFactory()
    pending = NotificationFactory(recipient=grace, kind=Kind.NEW_FOLLOWER, email=EmailMode.DIGEST)

    assert selectors.notification_preferences(user=grace) == {
        "mention": "immediate",
        "reply": "immediate",
        "comment": "immediate",
        "solution_confirmed": "digest",
        "solution_verified": "immediate",
        "new_follower": "digest",
        "followed_topic_entry": "digest",
        "api_alert": "immediate",
    }
    updated = services.notification_preferences_update(actor=grace, email={"new_follower": "off", "mention": "digest"})

    assert (updated["new_follower"], updated["mention"], updated["reply"]) == ("off", "digest", "immediate")
    pending.refresh_from_db()
    assert pending.email == EmailMode.OFF


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ({"poke": "off"}, "Unknown notification kind(s): poke."),
        ({"mention": "hourly"}, "The e-mail mode of mention must be one of off, immediate, digest."),
    ],
)
def test_preferences_refuse_unknown_kinds_and_modes(email, message):
    grace = UserFactory()

    with pytest.raises(ValidationError) as refused:
        services.notification_preferences_update(actor=grace, email={"reply": "off", **email})

    assert refused.value.message_dict == {"email": [message]}
    assert selectors.notification_preferences(user=grace)["reply"] == "immediate"
