"""The production HTTP server's configuration (config/gunicorn.py)."""

import runpy
from pathlib import Path

import pytest
from django.db.backends.signals import connection_created
from django.urls import clear_url_caches, get_resolver

GUNICORN = Path(__file__).resolve().parents[1] / "gunicorn.py"


@pytest.fixture
def cold_resolver():
    clear_url_caches()
    yield
    clear_url_caches()


def test_the_master_loads_the_urlconf_before_workers_fork_without_touching_the_database(cold_resolver):
    # given gunicorn's settings as gunicorn reads them
    config = runpy.run_path(str(GUNICORN))
    assert not get_resolver()._populated
    opened = []

    def record(sender, connection, **kwargs):
        opened.append(connection.alias)

    # when gunicorn says it is ready, just before it forks the workers
    connection_created.connect(record)
    try:
        config["when_ready"](None)
    finally:
        connection_created.disconnect(record)

    # then every route is resolved in the master, and no connection was opened for a fork to share
    assert get_resolver()._populated
    assert opened == []


def test_workers_are_sync_and_preloaded():
    config = runpy.run_path(str(GUNICORN))
    assert config["worker_class"] == "sync"
    assert config["preload_app"] is True
