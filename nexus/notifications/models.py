"""Follows (members and topics), notifications, and each member's e-mail preferences per kind."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nexus.core.models import TimeStampedModel


class Kind(models.TextChoices):
    MENTION = "mention", "Someone mentioned you"
    REPLY = "reply", "A reply in a thread you are in"
    COMMENT = "comment", "A comment on your entry"
    SOLUTION_CONFIRMED = "solution_confirmed", "Your solution worked for someone"
    SOLUTION_VERIFIED = "solution_verified", "A mentor verified your solution"
    NEW_FOLLOWER = "new_follower", "A new follower"
    FOLLOWED_TOPIC_ENTRY = "followed_topic_entry", "A new entry on a topic you follow"
    API_ALERT = "api_alert", "An API you consume went down, came back or changed its contract"


class EmailMode(models.TextChoices):
    OFF = "off", "Never"
    IMMEDIATE = "immediate", "Right away"
    DIGEST = "digest", "In the daily digest"


# What a member gets by e-mail until they choose: direct words to them at once, the rest daily.
DEFAULT_EMAIL: dict[str, str] = {
    Kind.MENTION: EmailMode.IMMEDIATE,
    Kind.REPLY: EmailMode.IMMEDIATE,
    Kind.COMMENT: EmailMode.IMMEDIATE,
    Kind.SOLUTION_CONFIRMED: EmailMode.DIGEST,
    Kind.SOLUTION_VERIFIED: EmailMode.IMMEDIATE,
    Kind.NEW_FOLLOWER: EmailMode.DIGEST,
    Kind.FOLLOWED_TOPIC_ENTRY: EmailMode.DIGEST,
    Kind.API_ALERT: EmailMode.IMMEDIATE,
}


class MemberFollow(TimeStampedModel):
    """A member following another member."""

    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following")
    followed = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="notifications_member_follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="notifications_member_follow_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows member {self.followed_id}"


class TopicFollow(TimeStampedModel):
    """A member following a topic (and so the topics under it)."""

    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_topics")
    topic = models.ForeignKey("topics.Topic", on_delete=models.CASCADE, related_name="followers")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["follower", "topic"], name="notifications_topic_follow_unique")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows topic {self.topic_id}"


class Notification(models.Model):
    """Something a member should know about, made by the handler of one outbox event.

    (recipient, event_id, kind) is unique: an event delivered twice never notifies twice.
    `email` is the member's preference for the kind when it was made; `emailed_at` is set once
    it went out (at once or in a digest).
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True)
    event_id = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.OFF)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_id", "kind"], name="notifications_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_recipient_recent"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notifications_unread"),
            models.Index(
                fields=["email", "created_at"],
                condition=models.Q(emailed_at__isnull=True) & ~models.Q(email="off"),
                name="notifications_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class NotificationPreference(TimeStampedModel):
    """How a member wants one kind of notification e-mailed (in-app is always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    email = models.CharField(max_length=10, choices=EmailMode.choices)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"
