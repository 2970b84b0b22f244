from django.contrib import admin

from nexus.registry.models import ApiConsumer, HealthCheck, RegisteredApi, RegistryAlert


@admin.register(RegisteredApi)
class RegisteredApiAdmin(admin.ModelAdmin):
    """URLs are vetted by the services (outbound guard); change them through the API."""

    list_display = ["name", "slug", "owner", "visibility", "health_state", "last_checked_at", "created_at"]
    list_filter = ["visibility", "health_state"]
    search_fields = ["name", "slug", "owner__username"]
    readonly_fields = ["base_url", "schema_url", "health_url", "owner"]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiConsumer)
class ApiConsumerAdmin(admin.ModelAdmin):
    list_display = ["api", "user", "created_at"]
    raw_id_fields = ["api", "user"]


@admin.register(HealthCheck)
class HealthCheckAdmin(admin.ModelAdmin):
    list_display = ["api", "checked_at", "ok", "status_code", "latency_ms", "error"]
    list_filter = ["ok"]
    raw_id_fields = ["api"]


@admin.register(RegistryAlert)
class RegistryAlertAdmin(admin.ModelAdmin):
    list_display = ["recipient", "api", "kind", "message", "read", "created_at"]
    list_filter = ["kind", "read"]
    raw_id_fields = ["recipient", "api"]
