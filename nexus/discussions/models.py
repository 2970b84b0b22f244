"""Discussion: channels with threads of messages, comments on entries, mentions and reactions.

A channel belongs to a cohort (read by the whole cohort, or private to explicit members) or
is global (read by every signed-in member). Every message belongs to a thread of a channel;
the thread's first message is its question. Deleting a message or a comment leaves a
tombstone: the row stays (so replies and counts keep their place) with its text removed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from nexus.core.models import TimeStampedModel

BODY_MAX_LENGTH = 10_000


class Channel(TimeStampedModel):
    """A place to talk: a cohort's channel or a global one."""

    class Visibility(models.TextChoices):
        COHORT = "cohort", "The whole cohort"
        PRIVATE = "private", "Explicit members of the cohort"
        GLOBAL = "global", "Every signed-in member"

    cohort = models.ForeignKey(
        "cohorts.Cohort", null=True, blank=True, on_delete=models.CASCADE, related_name="channels"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=80)
    topic = models.CharField(max_length=300, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.COHORT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "slug"], condition=models.Q(cohort__isnull=False), name="discussions_channel_slug"
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(cohort__isnull=True), name="discussions_global_channel_slug"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility="global", cohort__isnull=True)
                | (~models.Q(visibility="global") & models.Q(cohort__isnull=False)),
                name="discussions_channel_global_has_no_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.slug}"

    def clean(self) -> None:
        if (self.visibility == self.Visibility.GLOBAL) != (self.cohort_id is None):
            raise ValidationError({"visibility": "Global channels have no cohort; cohort channels need one."})


class ChannelMember(models.Model):
    """An explicit member of a private channel."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_memberships")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["channel", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="discussions_channel_member_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.channel_id}"


class ReadMarker(models.Model):
    """How far a member has read a channel: every message with a larger id is unread."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="read_markers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_markers")
    last_read_message_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="discussions_read_marker_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.channel_id} up to {self.last_read_message_id}"


class Thread(TimeStampedModel):
    """A topic inside a channel; it can be resolved with an accepted reply and promoted to an entry."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    promoted_entry = models.ForeignKey("hubs.Entry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["channel", "-last_message_at"], name="discussions_thread_recent")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_message__isnull=True) | models.Q(resolved_at__isnull=False),
                name="discussions_thread_accepted_only_when_resolved",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class Message(models.Model):
    """A message in a thread, in Markdown; `channel` is copied from the thread for channel-wide reads."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["channel", "id"], name="discussions_message_channel"),
            models.Index(fields=["thread", "id"], name="discussions_message_thread"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(body="", body_html=""),
                name="discussions_message_tombstone_is_empty",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.thread_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def clean(self) -> None:
        if not self.is_deleted and not self.body.strip():
            raise ValidationError({"body": "A message needs some text."})


class MessageMention(models.Model):
    """A member @mentioned in a message who can read its channel (the hook for notifications)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_mentions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="discussions_message_mention_unique")]

    def __str__(self) -> str:
        return f"@{self.user_id} in message {self.message_id}"


class MessageReaction(models.Model):
    """One member's reaction to a message with one emoji (a short name from the allow-list)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="discussions_message_reaction_unique")
        ]

    def __str__(self) -> str:
        return f":{self.emoji}: by {self.user_id} on {self.message_id}"


class Comment(TimeStampedModel):
    """A comment on an entry; replies are one level deep (a reply to a reply joins the top comment)."""

    entry = models.ForeignKey("hubs.Entry", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["entry", "parent", "id"], name="discussions_comment_entry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(body="", body_html=""),
                name="discussions_comment_tombstone_is_empty",
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on entry {self.entry_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def clean(self) -> None:
        if not self.is_deleted and not self.body.strip():
            raise ValidationError({"body": "A comment needs some text."})
        if self.parent is not None and self.parent.parent_id is not None:
            raise ValidationError({"parent": "Replies are one level deep."})
        if self.parent is not None and self.parent.entry_id != self.entry_id:
            raise ValidationError({"parent": "The comment replied to is on another entry."})


class CommentMention(models.Model):
    """A member @mentioned in a comment who can read its entry."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_mentions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="discussions_comment_mention_unique")]

    def __str__(self) -> str:
        return f"@{self.user_id} in comment {self.comment_id}"


class CommentReaction(models.Model):
    """One member's reaction to a comment with one emoji."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user", "emoji"], name="discussions_comment_reaction_unique")
        ]

    def __str__(self) -> str:
        return f":{self.emoji}: by {self.user_id} on comment {self.comment_id}"
