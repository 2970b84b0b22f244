"""The production HTTP server's configuration (config/gunicorn.py)."""

import runpy
from pathlib import Path

import pytest
from django.db import connections
from django.urls import clear_url_caches, get_resolver

GUNICORN = Path(__file__).resolve().parents[1] / "gunicorn.py"


@pytest.fixture
def cold_resolver():
    clear_url_caches()
    yield
    clear_url_caches()


def test_the_master_loads_the_urlconf_before_workers_fork_without_touching_the_database(cold_resolver):
    # given gunicorn's settings as gunicorn reads them, and no database connection open
    config = runpy.run_path(str(GUNICORN))
    connections.close_all()
    assert not get_resolver()._populated

    # when gunicorn says it is ready, just before it forks the workers
    config["when_ready"](None)

    # then every route is resolved in the master, and no connection was opened for a fork to share
    assert get_resolver()._populated
    assert all(connection.connection is None for connection in connections.all())


def test_workers_are_sync_and_preloaded():
    config = runpy.run_path(str(GUNICORN))
    assert config["worker_class"] == "sync"
    assert config["preload_app"] is True
