"""Input and output shapes for webhooks and their deliveries."""

from __future__ import annotations

from rest_framework import serializers

from nexus.webhooks.models import MAX_EVENT_TYPES, Webhook, WebhookDelivery


class WebhookSerializer(serializers.ModelSerializer):
    """A webhook. The secret is never shown again after creation (or rotation)."""

    cohort = serializers.SlugField(source="cohort.slug", read_only=True, allow_null=True, default=None)
    channel = serializers.IntegerField(source="channel_id", read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Webhook
        fields = [
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
        ]


class WebhookWithSecretSerializer(WebhookSerializer):
    """A webhook just created, with its secret: keep it, it is shown this once."""

    secret = serializers.CharField(read_only=True, help_text="HMAC-SHA256 key of X-Nexus-Signature; shown once.")

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new HMAC-SHA256 key; shown once.")


_EVENT_TYPES_HELP = 'Event types to receive: exact ("entry.published"), a prefix ("entry.*") or everything ("*").'


class WebhookCreateSerializer(serializers.Serializer):
    cohort = serializers.SlugField(
        required=False, help_text="The cohort whose events the webhook receives (you mentor or staff it)."
    )
    channel = serializers.IntegerField(
        required=False, help_text="Or: the discussion channel whose new messages it receives (its cohort's mentors)."
    )
    name = serializers.CharField(max_length=120)
    url = serializers.CharField(max_length=2048, help_text="http(s) URL of the receiver; not a private address.")
    format = serializers.ChoiceField(choices=Webhook.Format.choices, default=Webhook.Format.GENERIC)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=100),
        min_length=1,
        max_length=MAX_EVENT_TYPES,
        help_text=_EVENT_TYPES_HELP,
    )
    is_active = serializers.BooleanField(default=True)


class WebhookUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    url = serializers.CharField(max_length=2048, required=False)
    format = serializers.ChoiceField(choices=Webhook.Format.choices, required=False)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=100),
        min_length=1,
        max_length=MAX_EVENT_TYPES,
        required=False,
        help_text=_EVENT_TYPES_HELP,
    )
    is_active = serializers.BooleanField(required=False)


class WebhookFilterSerializer(serializers.Serializer):
    cohort = serializers.SlugField(required=False, help_text="Only this cohort's webhooks.")
    channel = serializers.IntegerField(required=False, help_text="Only this channel's webhooks.")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One event for one webhook, with its last attempt. `next_attempt_at` is set while pending."""

    class Meta:
        model = WebhookDelivery
        fields = [
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
        ]


class DeliveryFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=WebhookDelivery.State.choices, required=False)
