"""Celery tasks: the health check cycle and the schema refresh (celery beat runs both)."""

from __future__ import annotations

from celery import shared_task

from nexus.registry import services


@shared_task(name="registry.health_check", ignore_result=True, soft_time_limit=240, time_limit=300)
def registry_health_check() -> dict[str, int] | None:
    """Check every registered API's health URL once (a no-op while another cycle runs)."""
    return services.health_check_run()


@shared_task(name="registry.schemas_refresh", ignore_result=True, soft_time_limit=1800, time_limit=1900)
def registry_schemas_refresh() -> dict[str, int]:
    """Fetch every schema URL again; changed schemas become versions and alert consumers."""
    return services.schemas_refresh_all()
