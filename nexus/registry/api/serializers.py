"""Input and output shapes of the API registry."""

from __future__ import annotations

from rest_framework import serializers

from nexus.registry.models import ApiConsumer, ApiOperation, ApiSchemaVersion, HealthCheck, RegisteredApi, RegistryAlert


class ApiSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    cohort = serializers.SlugField(source="cohort.slug", read_only=True, allow_null=True)

    class Meta:
        model = RegisteredApi
        fields = [
            "slug",
            "name",
            "description",
            "owner",
            "base_url",
            "schema_url",
            "health_url",
            "topics",
            "visibility",
            "cohort",
            "health_state",
            "health_changed_at",
            "last_checked_at",
            "schema_error",
            "created_at",
            "updated_at",
        ]


class UptimeSerializer(serializers.Serializer):
    last_24h = serializers.FloatField(allow_null=True, help_text="Percent of successful checks, None without checks.")
    last_7d = serializers.FloatField(allow_null=True)


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiSchemaVersion
        fields = [
            "number",
            "sha256",
            "source",
            "title",
            "version_label",
            "operation_count",
            "breaking_count",
            "created_at",
        ]


class ApiDetailSerializer(ApiSerializer):
    uptime = UptimeSerializer()
    latest_version = VersionSummarySerializer(allow_null=True)
    operation_count = serializers.IntegerField()
    consumer_count = serializers.IntegerField()

    class Meta(ApiSerializer.Meta):
        fields = [*ApiSerializer.Meta.fields, "uptime", "latest_version", "operation_count", "consumer_count"]


_SCHEMA_HELP = "The OpenAPI 3 schema itself (a JSON object, or JSON/YAML text), instead of schema_url."


class ApiCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=100, required=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    base_url = serializers.CharField(max_length=2048)
    schema_url = serializers.CharField(max_length=2048, required=False, allow_blank=True, default="")
    schema = serializers.JSONField(required=False, allow_null=True, help_text=_SCHEMA_HELP)
    health_url = serializers.CharField(max_length=2048, required=False, allow_blank=True, default="")
    topics = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)
    visibility = serializers.ChoiceField(
        choices=RegisteredApi.Visibility.choices, default=RegisteredApi.Visibility.PRIVATE
    )


class ApiUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    base_url = serializers.CharField(max_length=2048, required=False)
    schema_url = serializers.CharField(max_length=2048, required=False, allow_blank=True)
    schema = serializers.JSONField(required=False, allow_null=True, help_text=_SCHEMA_HELP)
    health_url = serializers.CharField(max_length=2048, required=False, allow_blank=True)
    topics = serializers.ListField(child=serializers.SlugField(), required=False, max_length=20)
    visibility = serializers.ChoiceField(choices=RegisteredApi.Visibility.choices, required=False)


class ApiFilterSerializer(serializers.Serializer):
    topic = serializers.SlugField(required=False)
    owner = serializers.CharField(required=False, max_length=150)
    q = serializers.CharField(required=False, max_length=100)


class OperationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiOperation
        fields = [
            "key",
            "method",
            "path",
            "operation_id",
            "summary",
            "description",
            "deprecated",
            "parameters",
            "request_body",
            "responses",
        ]


class OperationFilterSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"], required=False
    )


class ChangeSerializer(serializers.Serializer):
    breaking = serializers.BooleanField()
    kind = serializers.CharField(help_text="operation_removed, required_parameter_added, type_changed, ...")
    operation = serializers.CharField(help_text='The operation key, "METHOD /path".')
    where = serializers.CharField()
    message = serializers.CharField()


class VersionSerializer(VersionSummarySerializer):
    changes = ChangeSerializer(many=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "changes"]


class DiffSerializer(serializers.Serializer):
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    breaking = serializers.BooleanField()
    changes = ChangeSerializer(many=True)


class DiffParamsSerializer(serializers.Serializer):
    from_version = serializers.IntegerField(min_value=1, source="from_number", help_text="Older version number.")
    to_version = serializers.IntegerField(min_value=1, source="to_number", help_text="Newer version number.")


class ConsumerSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiConsumer
        fields = ["user", "operations", "created_at", "updated_at"]


class SubscribeSerializer(serializers.Serializer):
    operations = serializers.ListField(
        child=serializers.CharField(max_length=600),
        required=False,
        max_length=500,
        help_text='Operation ids or "METHOD /path" keys; none for the whole API.',
    )


class ConsumedSerializer(serializers.ModelSerializer):
    """An API the member consumes, with its state."""

    api = ApiSerializer()

    class Meta:
        model = ApiConsumer
        fields = ["api", "operations", "created_at"]


class HealthCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = HealthCheck
        fields = ["checked_at", "ok", "status_code", "latency_ms", "error"]


class AlertSerializer(serializers.ModelSerializer):
    api = serializers.SlugField(source="api.slug", read_only=True)
    diff = ChangeSerializer(many=True)

    class Meta:
        model = RegistryAlert
        fields = ["id", "api", "kind", "message", "diff", "read", "created_at"]


class AlertFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class AlertReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Alerts to mark; all without."
    )


class AlertReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class ReadinessRequestSerializer(serializers.Serializer):
    origin = serializers.CharField(max_length=300, required=False, help_text="A frontend origin whose CORS to check.")


class ReadinessItemSerializer(serializers.Serializer):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    weight = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, help_text="Why the item failed (empty when it passed).")


class ReadinessSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="0-100: the weight of the passed items over all.")
    passed = serializers.IntegerField()
    total = serializers.IntegerField()
    items = ReadinessItemSerializer(many=True)
