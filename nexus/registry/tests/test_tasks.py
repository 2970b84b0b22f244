"""The beat schedule and the tasks: in-process in embedded mode, a real worker on the real broker in services mode."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from config.celery import app
from nexus.core.tests.servers import Reply
from nexus.registry import tasks
from nexus.registry.models import HealthCheck, RegisteredApi
from nexus.registry.tests.factories import RegisteredApiFactory
from nexus.webhooks.tests.conftest import celery_worker, wait_for  # noqa: F401 - fixture

committed = pytest.mark.django_db(transaction=True)


def test_beat_runs_the_health_cycle_every_minute_and_refreshes_schemas_hourly():
    schedule = {entry["task"]: entry["schedule"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}

    assert schedule["registry.health_check"] == 60.0
    assert schedule["registry.schemas_refresh"] == 3600.0
    assert tasks.registry_health_check.name in app.tasks  # the names beat sends are registered
    assert tasks.registry_schemas_refresh.name in app.tasks


@committed
def test_the_health_task_runs_through_celery(local_server, celery_worker, settings):  # noqa: F811
    server = local_server()
    server.answer(Reply(200, b"ok"))
    api = RegisteredApiFactory(health_url=server.url("/health"))

    queue = settings.WEBHOOKS_QUEUE or None  # the worker's own queue in services mode
    tasks.registry_health_check.apply_async(queue=queue)

    assert wait_for(lambda: HealthCheck.objects.filter(api=api).exists())
    assert wait_for(lambda: RegisteredApi.objects.get(pk=api.pk).health_state == "up")
    assert [r.path for r in server.requests] == ["/health"]
