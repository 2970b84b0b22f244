"""Replies and comments in discussions notify the thread's starter, the entry's author and the
author of the comment replied to -- never the actor. Real commits (the notifications are made
after commit, in-process in tests)."""

import pytest

from nexus.accounts import services as account_services
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.discussions import services as discussions
from nexus.hubs.tests.factories import EntryFactory, HubFactory
from nexus.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


def _world():
    cohort = CohortFactory(slug="notify-cohort")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada", email="ada@example.org")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace", email="grace@example.org")).user
    mentor = MembershipFactory(cohort=cohort, user=UserFactory(username="mentor"), role=Membership.Role.MENTOR).user
    channel = discussions.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    return {"ada": ada, "grace": grace, "channel": channel, "token": account_services.token_pair_issue(user=grace)}


def _replies_and_comments():
    w = _world()
    thread = discussions.thread_create(actor=w["grace"], channel_id=w["channel"].pk, title="Docker", body="Ports?")
    discussions.message_post(actor=w["ada"], thread_id=thread.pk, body="Publish them with -p.")
    hub = HubFactory(owner=w["grace"], visibility="public")
    entry = EntryFactory(hub=hub, title="Docker networking")
    top = discussions.comment_add(actor=w["ada"], entry_id=entry.pk, body="Nice write-up")
    discussions.comment_add(actor=w["grace"], entry_id=entry.pk, body="Thanks!", parent_id=top.pk)
    return {(n.recipient.username, n.kind) for n in Notification.objects.select_related("recipient").order_by("pk")}


def test_replies_and_comments_notify_the_right_members():
    made = _replies_and_comments()

    # ada replied in grace's thread and commented on grace's entry; grace replied to ada's comment
    assert made == {("grace", "reply"), ("grace", "comment"), ("ada", "reply")}
