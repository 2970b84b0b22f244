"""Business rules of channels, threads, messages, reactions, read markers, promotion and comments."""

import json
import os

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.errors import ApplicationError
from nexus.discussions import live, payloads, selectors, services
from nexus.discussions.access import channels_visible_to
from nexus.discussions.models import Channel, Comment, Message, MessageMention, MessageReaction, Thread
from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db


def _usernames(users):
    return sorted(u.username for u in users)


# --- Channels ---------------------------------------------------------------------------------


def test_who_may_open_which_channel(cohort, ada, mentor, outsider):
    staff = UserFactory(is_staff=True)

    with pytest.raises(PermissionDenied):
        services.channel_create(actor=ada, name="Everyone", visibility="global")
    with pytest.raises(PermissionDenied):
        services.channel_create(actor=ada, name="Announcements", cohort=cohort.slug)
    with pytest.raises(PermissionDenied):
        services.channel_create(actor=outsider, name="Secret", cohort=cohort.slug, visibility="private")
    with pytest.raises(ValidationError):
        services.channel_create(actor=mentor, name="No cohort", visibility="cohort")
    assert not Channel.objects.exists()

    wide = services.channel_create(actor=mentor, name="Announcements", cohort=cohort.slug)
    everyone = services.channel_create(actor=staff, name="Lounge", visibility="global")
    private = services.channel_create(actor=ada, name="Study group", cohort=cohort.slug, visibility="private")

    assert (wide.slug, wide.cohort, wide.visibility) == ("announcements", cohort, "cohort")
    assert (everyone.cohort, everyone.visibility) == (None, "global")
    assert list(private.members.values_list("user__username", flat=True)) == ["ada"]


def test_slugs_are_unique_per_cohort(cohort, mentor):
    first = services.channel_create(actor=mentor, name="Help", cohort=cohort.slug)
    second = services.channel_create(actor=mentor, name="Help", cohort=cohort.slug)
    with pytest.raises(ValidationError) as taken:
        services.channel_create(actor=mentor, name="Other", cohort=cohort.slug, slug="help")
    assert (first.slug, second.slug) == ("help", "help-2")
    assert "slug" in taken.value.message_dict


def test_private_channel_members_must_belong_to_the_cohort(cohort, ada, grace, outsider):
    with pytest.raises(ValidationError) as refused:
        services.channel_create(
            actor=ada, name="Pair", cohort=cohort.slug, visibility="private", members=["grace", "outsider"]
        )
    assert "outsider" in str(refused.value)
    channel = services.channel_create(
        actor=ada, name="Pair", cohort=cohort.slug, visibility="private", members=["Grace"]
    )
    assert _usernames(u.user for u in channel.members.all()) == ["ada", "grace"]


def test_channel_visibility(cohort, ada, grace, mentor, outsider):
    staff = UserFactory(is_staff=True)
    wide = services.channel_create(actor=mentor, name="General", cohort=cohort.slug)
    private = services.channel_create(actor=ada, name="Pair", cohort=cohort.slug, visibility="private")
    everyone = services.channel_create(actor=staff, name="Lounge", visibility="global")

    def names(user):
        return sorted(channels_visible_to(user).values_list("slug", flat=True))

    assert names(ada) == ["general", "lounge", "pair"]
    assert names(grace) == ["general", "lounge"]  # not invited
    assert names(mentor) == ["general", "lounge"]  # mentors read private channels only when invited
    assert names(outsider) == ["lounge"]
    assert names(staff) == ["general", "lounge"]
    assert {c.pk for c in channels_visible_to(UserFactory(is_active=False))} == set()
    assert wide.pk and private.pk and everyone.pk


def test_leaving_the_cohort_ends_access_to_its_private_channels(cohort, ada, grace):
    private = services.channel_create(
        actor=ada, name="Pair", cohort=cohort.slug, visibility="private", members=["grace"]
    )
    assert channels_visible_to(grace).filter(pk=private.pk).exists()
    Membership.objects.filter(user=grace, cohort=cohort).delete()
    assert not channels_visible_to(grace).filter(pk=private.pk).exists()


def test_private_membership_management(cohort, ada, grace, mentor):
    third = MembershipFactory(cohort=cohort).user
    private = services.channel_create(
        actor=ada, name="Pair", cohort=cohort.slug, visibility="private", members=["grace"]
    )

    services.channel_member_add(actor=grace, channel_id=private.pk, username=third.username)
    services.channel_member_add(actor=grace, channel_id=private.pk, username=third.username)  # idempotent
    with pytest.raises(Http404):  # the mentor cannot read it
        services.channel_member_add(actor=mentor, channel_id=private.pk, username="mentor")
    with pytest.raises(PermissionDenied):  # grace is a member but not its creator
        services.channel_member_remove(actor=grace, channel_id=private.pk, username=third.username)
    services.channel_member_remove(actor=third, channel_id=private.pk, username=third.username)  # leaving
    services.channel_member_remove(actor=ada, channel_id=private.pk, username="grace")  # the creator removes

    assert _usernames(m.user for m in private.members.all()) == ["ada"]
    wide = services.channel_create(actor=mentor, name="General", cohort=cohort.slug)
    with pytest.raises(ApplicationError) as not_private:
        services.channel_member_add(actor=mentor, channel_id=wide.pk, username="ada")
    assert not_private.value.code == "not_private"


def test_channel_update_by_creator_or_moderator(channel, ada, mentor):
    with pytest.raises(PermissionDenied):
        services.channel_update(actor=ada, channel_id=channel.pk, data={"name": "Mine"})
    updated = services.channel_update(actor=mentor, channel_id=channel.pk, data={"topic": "Ask anything"})
    assert updated.topic == "Ask anything"


# --- Messages and mentions --------------------------------------------------------------------


def test_mentions_become_rows_only_for_members_who_can_read_the_channel(channel, thread, ada, grace, mentor, outsider):
    message = services.message_post(
        actor=ada,
        thread_id=thread.pk,
        body="@grace and @Mentor, see `@outsider` and @outsider and @ada and @nobody; mail ada@example.com",
    )
    assert _usernames(message.mentions_added) == ["grace", "mentor"]
    assert _usernames(selectors.message_mentioned_users(message_id=message.pk)) == ["grace", "mentor"]
    # the thread's first message mentioned grace too
    first = Message.objects.filter(thread=thread).order_by("pk").first()
    assert _usernames(selectors.message_mentioned_users(message_id=first.pk)) == ["grace"]


def test_message_body_is_rendered_and_sanitized(thread, ada):
    message = services.message_post(actor=ada, thread_id=thread.pk, body="**bold** <script>alert(1)</script>")
    assert "<strong>bold</strong>" in message.body_html
    assert "<script>" not in message.body_html


def test_outsiders_cannot_post_and_nothing_is_written(thread, outsider):
    before = Message.objects.count()
    with pytest.raises(Http404):
        services.message_post(actor=outsider, thread_id=thread.pk, body="hello")
    assert Message.objects.count() == before


def test_only_the_author_edits_and_mentions_follow_the_text(thread, ada, grace, mentor, outsider):
    message = services.message_post(actor=ada, thread_id=thread.pk, body="ping @grace")

    with pytest.raises(PermissionDenied):
        services.message_edit(actor=grace, message_id=message.pk, body="hijacked")
    with pytest.raises(PermissionDenied):
        services.message_edit(actor=mentor, message_id=message.pk, body="hijacked")
    with pytest.raises(Http404):
        services.message_edit(actor=outsider, message_id=message.pk, body="hijacked")
    edited = services.message_edit(actor=ada, message_id=message.pk, body="ping @mentor instead")

    message.refresh_from_db()
    assert message.body == "ping @mentor instead" and message.edited_at is not None
    assert _usernames(edited.mentions_added) == ["mentor"]
    assert _usernames(selectors.message_mentioned_users(message_id=message.pk)) == ["mentor"]
    unchanged = services.message_edit(actor=ada, message_id=message.pk, body="ping @mentor instead")
    assert unchanged.mentions_added == []


def test_delete_leaves_a_tombstone(thread, ada, grace, mentor):
    mine = services.message_post(actor=ada, thread_id=thread.pk, body="hi @grace")
    services.message_react(actor=grace, message_id=mine.pk, emoji="tada")
    with pytest.raises(PermissionDenied):
        services.message_delete(actor=grace, message_id=mine.pk)

    services.message_delete(actor=ada, message_id=mine.pk)
    services.message_delete(actor=ada, message_id=mine.pk)  # idempotent

    mine.refresh_from_db()
    assert (mine.body, mine.body_html, mine.deleted_by) == ("", "", ada)
    assert not MessageMention.objects.filter(message=mine).exists()
    assert not MessageReaction.objects.filter(message=mine).exists()
    with pytest.raises(ApplicationError) as gone:
        services.message_edit(actor=ada, message_id=mine.pk, body="back")
    assert gone.value.status == 409
    with pytest.raises(ApplicationError):
        services.message_react(actor=grace, message_id=mine.pk, emoji="tada")


def test_mentors_of_the_cohort_and_staff_may_delete_any_message(thread, ada, mentor):
    first = services.message_post(actor=ada, thread_id=thread.pk, body="one")
    second = services.message_post(actor=ada, thread_id=thread.pk, body="two")
    services.message_delete(actor=mentor, message_id=first.pk)
    services.message_delete(actor=UserFactory(is_staff=True), message_id=second.pk)
    assert Message.objects.filter(pk__in=[first.pk, second.pk], deleted_at__isnull=False).count() == 2


def test_other_cohorts_mentors_may_not_delete(channel, thread, ada):
    other_mentor = MembershipFactory(role=Membership.Role.MENTOR).user
    MembershipFactory(cohort=channel.cohort, user=other_mentor)  # a learner here
    message = services.message_post(actor=ada, thread_id=thread.pk, body="one")
    with pytest.raises(PermissionDenied):
        services.message_delete(actor=other_mentor, message_id=message.pk)


# --- Reactions --------------------------------------------------------------------------------


def test_reactions_toggle_once_per_member_per_emoji(thread, ada, grace):
    message = services.message_post(actor=ada, thread_id=thread.pk, body="shipped")

    assert services.message_react(actor=grace, message_id=message.pk, emoji=":tada:")[1] is True
    assert services.message_react(actor=grace, message_id=message.pk, emoji="🎉", on=True)[1] is True
    assert services.message_react(actor=ada, message_id=message.pk, emoji="+1")[1] is True
    assert services.message_react(actor=grace, message_id=message.pk, emoji="👍")[1] is True
    assert services.message_react(actor=grace, message_id=message.pk, emoji="thumbsup")[1] is False  # toggled off

    rows = sorted(MessageReaction.objects.filter(message=message).values_list("user__username", "emoji"))
    assert rows == [("ada", "thumbsup"), ("grace", "tada")]
    with pytest.raises(ValidationError) as bad:
        services.message_react(actor=grace, message_id=message.pk, emoji="💩")
    assert "not an allowed reaction" in str(bad.value)


# --- Read markers -----------------------------------------------------------------------------


def test_unread_counts_and_markers(channel, thread, ada, grace):
    ids = [services.message_post(actor=grace, thread_id=thread.pk, body=f"m{n}").pk for n in range(4)]
    services.message_post(actor=ada, thread_id=thread.pk, body="my own")
    services.message_delete(actor=grace, message_id=ids[3])

    def unread(user):
        return selectors.channel_get(actor=user, channel_id=channel.pk).unread

    assert unread(ada) == 3  # grace's three left; ada's own and the deleted one do not count
    assert unread(grace) == 2  # ada's question and ada's message

    services.channel_mark_read(actor=ada, channel_id=channel.pk, message_id=ids[1])
    assert unread(ada) == 1
    services.channel_mark_read(actor=ada, channel_id=channel.pk, message_id=ids[0])  # never backwards
    assert unread(ada) == 1
    marker = services.channel_mark_read(actor=ada, channel_id=channel.pk)
    assert unread(ada) == 0 and marker.last_read_message_id == max(Message.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.channel_mark_read(actor=ada, channel_id=channel.pk, message_id=10**9)


# --- Threads: resolve, reopen, promote -------------------------------------------------------


def test_resolving_a_thread(thread, ada, grace, mentor):
    question = Message.objects.filter(thread=thread).first()
    answer = services.message_post(actor=grace, thread_id=thread.pk, body="Start a worker with -Q.")

    with pytest.raises(PermissionDenied):
        services.thread_resolve(actor=grace, thread_id=thread.pk, accepted_message_id=answer.pk)
    with pytest.raises(ValidationError):
        services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=question.pk)
    other = services.thread_create(actor=ada, channel_id=thread.channel_id, title="Other", body="?")
    with pytest.raises(ValidationError):
        services.thread_resolve(
            actor=ada, thread_id=thread.pk, accepted_message_id=Message.objects.filter(thread=other).first().pk
        )

    resolved = services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)
    assert resolved.is_resolved and resolved.accepted_message == answer and resolved.resolved_by == ada
    reopened = services.thread_reopen(actor=mentor, thread_id=thread.pk)
    assert not reopened.is_resolved and reopened.accepted_message is None

    services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)
    services.message_delete(actor=grace, message_id=answer.pk)
    thread.refresh_from_db()
    assert thread.is_resolved and thread.accepted_message is None  # a deleted answer is no longer accepted


def test_promote_makes_a_draft_challenge_crediting_participants(cohort, thread, ada, grace, mentor):
    hub = HubFactory(owner=ada, program=cohort.program, cohort=cohort, visibility=Hub.Visibility.COHORT)
    services.message_post(actor=mentor, thread_id=thread.pk, body="Which broker?")
    answer = services.message_post(actor=grace, thread_id=thread.pk, body="Run `celery -A config worker -Q default`.")

    with pytest.raises(ApplicationError) as open_thread:
        services.thread_promote(actor=ada, thread_id=thread.pk)
    assert open_thread.value.code == "thread_not_resolved"
    services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)

    entry = services.thread_promote(actor=ada, thread_id=thread.pk)

    assert (entry.hub, entry.kind, entry.status, entry.title) == (hub, "challenge", Entry.Status.DRAFT, thread.title)
    assert entry.problem == "Why @grace?"
    assert entry.solution == "Run `celery -A config worker -Q default`."
    assert "Question:" in entry.body and "@ada" in entry.body
    assert "Accepted answer:" in entry.body and "@grace" in entry.body
    assert "Also in the discussion:" in entry.body and "@mentor" in entry.body
    assert entry.revisions.count() == 1
    thread.refresh_from_db()
    assert thread.promoted_entry == entry
    with pytest.raises(ApplicationError) as twice:
        services.thread_promote(actor=ada, thread_id=thread.pk)
    assert (twice.value.code, twice.value.extra) == ("already_promoted", {"entry": entry.pk})


def test_promote_rights_and_hub(cohort, thread, ada, grace):
    third = MembershipFactory(cohort=cohort).user
    answer = services.message_post(actor=grace, thread_id=thread.pk, body="Answer.")
    services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)

    with pytest.raises(PermissionDenied):
        services.thread_promote(actor=third, thread_id=thread.pk)
    with pytest.raises(ValidationError) as no_hub:
        services.thread_promote(actor=grace, thread_id=thread.pk)
    assert "no hub" in str(no_hub.value)
    grace_hub = HubFactory(owner=grace, program=cohort.program)
    entry = services.thread_promote(actor=grace, thread_id=thread.pk, hub=grace_hub.slug)
    assert entry.hub == grace_hub
    assert not Thread.objects.filter(promoted_entry__isnull=True, pk=thread.pk).exists()


# --- Comments ---------------------------------------------------------------------------------


@pytest.fixture
def cohort_entry(cohort, ada):
    hub = HubFactory(owner=ada, program=cohort.program, cohort=cohort, visibility=Hub.Visibility.COHORT)
    return EntryFactory(hub=hub)


def test_comments_thread_one_level(cohort_entry, grace, mentor):
    top = services.comment_add(actor=grace, entry_id=cohort_entry.pk, body="Nice")
    reply = services.comment_add(actor=mentor, entry_id=cohort_entry.pk, body="Agreed", parent_id=top.pk)
    nested = services.comment_add(actor=grace, entry_id=cohort_entry.pk, body="Thanks", parent_id=reply.pk)

    assert (reply.parent, nested.parent) == (top, top)
    other = EntryFactory(hub=cohort_entry.hub)
    with pytest.raises(ValidationError):
        services.comment_add(actor=grace, entry_id=other.pk, body="x", parent_id=top.pk)


def test_comments_follow_the_entry_visibility(cohort_entry, outsider, grace):
    with pytest.raises(Http404):
        services.comment_add(actor=outsider, entry_id=cohort_entry.pk, body="let me in")
    draft = EntryFactory(hub=cohort_entry.hub, status=Entry.Status.DRAFT, published_at=None)
    with pytest.raises(Http404):
        services.comment_add(actor=grace, entry_id=draft.pk, body="early")
    assert not Comment.objects.exists()


def test_comment_mentions_only_members_who_can_read_the_entry(cohort_entry, ada, grace, outsider):
    comment = services.comment_add(actor=grace, entry_id=cohort_entry.pk, body="@ada @outsider @grace look")
    assert _usernames(comment.mentions_added) == ["ada"]
    assert _usernames(selectors.comment_mentioned_users(comment_id=comment.pk)) == ["ada"]
    edited = services.comment_edit(actor=grace, comment_id=comment.pk, body="@ada only, @mentor too")
    assert edited.mentions_added == []  # ada was mentioned already; there is no member "mentor" here


def test_comment_edit_and_delete_rights(cohort_entry, ada, grace, mentor):
    comment = services.comment_add(actor=grace, entry_id=cohort_entry.pk, body="First")
    reply = services.comment_add(actor=mentor, entry_id=cohort_entry.pk, body="Reply", parent_id=comment.pk)
    learner = MembershipFactory(cohort=cohort_entry.hub.cohort).user

    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=ada, comment_id=comment.pk, body="owner edits")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=learner, comment_id=comment.pk)
    services.comment_delete(actor=ada, comment_id=comment.pk)  # the entry's owner moderates
    services.comment_delete(actor=mentor, comment_id=reply.pk)  # the author

    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.replies.count() == 1
    with pytest.raises(ApplicationError):
        services.comment_edit(actor=grace, comment_id=comment.pk, body="undo")


def test_comment_reactions(cohort_entry, grace):
    comment = services.comment_add(actor=grace, entry_id=cohort_entry.pk, body="First")
    assert services.comment_react(actor=grace, comment_id=comment.pk, emoji="heart")[1] is True
    assert services.comment_react(actor=grace, comment_id=comment.pk, emoji="heart", on=True)[1] is True
    assert services.comment_react(actor=grace, comment_id=comment.pk, emoji="heart")[1] is False
    assert comment.reactions.count() == 0


# --- Live events after commit -----------------------------------------------------------------


def _listen(group):
    layer = get_channel_layer()
    name = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, name)
    return layer, name


def test_frames_are_sent_after_commit_only(channel, thread, ada, outsider, django_capture_on_commit_callbacks):
    layer, name = _listen(live.channel_group(channel.pk))

    with django_capture_on_commit_callbacks(execute=False) as denied, pytest.raises(Http404):
        services.message_post(actor=outsider, thread_id=thread.pk, body="hello")
    with django_capture_on_commit_callbacks(execute=True) as posted:
        message = services.message_post(actor=ada, thread_id=thread.pk, body="hello **all**")

    assert denied == [] and posted  # the frame (and the outbox relay, notifications) after commit
    event = async_to_sync(layer.receive)(name)
    assert event["type"] == "discussions.event"
    frame = json.loads(event["text"])
    assert frame["type"] == "message.created" and frame["channel"] == channel.pk
    assert frame["data"]["id"] == message.pk
    assert frame["data"]["body_html"] == "<p>hello <strong>all</strong></p>\n"
    async_to_sync(layer.group_discard)(live.channel_group(channel.pk), name)


def _frames(layer, name, count):
    """The next `count` frames, read in one event loop: the Redis layer's receive buffer belongs to
    the loop that reads it, and a new loop per frame was handed the first frame again."""

    async def read() -> list[dict]:
        return [json.loads((await layer.receive(name))["text"]) for _ in range(count)]

    return async_to_sync(read)()


def test_new_and_deleted_messages_carry_the_threads_count(
    channel, thread, ada, grace, mentor, django_capture_on_commit_callbacks
):
    # given: the thread has its question; ada replies before anyone listens
    first = services.message_post(actor=ada, thread_id=thread.pk, body="More detail")
    layer, name = _listen(live.channel_group(channel.pk))

    # when: grace replies, edits it, ada's reply is deleted by the mentor, and grace reacts
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_post(actor=grace, thread_id=thread.pk, body="Same here")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_edit(actor=grace, message_id=reply.pk, body="Same here, on 5.4")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_delete(actor=mentor, message_id=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_react(actor=grace, message_id=reply.pk, emoji="eyes")
    created, edited, deleted, reacted = _frames(layer, name, 4)
    async_to_sync(layer.group_discard)(live.channel_group(channel.pk), name)

    # then: the frames that change the count carry it next to the message; the others do not
    thread.refresh_from_db()
    last = payloads.when(thread.last_message_at)
    assert created["type"] == "message.created" and created["data"]["id"] == reply.pk
    assert created["thread"] == {"id": thread.pk, "message_count": 3, "last_message_at": last}
    assert deleted["type"] == "message.deleted" and deleted["data"]["id"] == first.pk
    assert deleted["thread"] == {"id": thread.pk, "message_count": 2, "last_message_at": last}
    assert (edited["type"], reacted["type"]) == ("message.edited", "reaction.changed")
    assert "thread" not in edited and "thread" not in reacted
    assert set(created) == set(deleted) == {"type", "channel", "data", "thread"}
    assert selectors.thread_get(thread_id=thread.pk).message_count == 2


def test_leaving_the_cohort_tells_the_members_connections(cohort, grace, django_capture_on_commit_callbacks):
    layer, name = _listen(live.user_group(grace.pk))
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=grace, cohort=cohort).delete()
    event = async_to_sync(layer.receive)(name)
    assert event == {"type": "discussions.access", "reason": "cohort_membership_removed"}
    async_to_sync(layer.group_discard)(live.user_group(grace.pk), name)


def test_services_mode_uses_the_redis_channel_layer():
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
    if os.environ.get("NEXUS_REQUIRE_SERVICES"):
        assert backend == "nexus.core.channel_layer.RedisChannelLayer", "services mode but not the Redis channel layer"
    else:
        assert backend == "channels.layers.InMemoryChannelLayer"
    assert get_channel_layer() is not None
