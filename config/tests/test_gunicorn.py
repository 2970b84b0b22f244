"""The production HTTP server: config/gunicorn.py, and config/wsgi.py as its master loads it."""

import runpy
from pathlib import Path

import pytest
from django.db.backends.signals import connection_created
from django.urls import clear_url_caches, get_resolver

from config import wsgi

GUNICORN = Path(__file__).resolve().parents[1] / "gunicorn.py"


@pytest.fixture
def cold_resolver():
    clear_url_caches()
    yield
    clear_url_caches()


def test_the_master_loads_the_urlconf_before_workers_fork_without_touching_the_database(cold_resolver):
    # given a cold URL configuration
    assert not get_resolver()._populated
    opened = []

    def record(sender, connection, **kwargs):
        opened.append(connection.alias)

    # when gunicorn's master loads the WSGI module (preload_app), before it forks the workers
    connection_created.connect(record)
    try:
        wsgi.warm()
    finally:
        connection_created.disconnect(record)

    # then every route is resolved in the master, and no connection was opened for a fork to share
    assert get_resolver()._populated
    assert opened == []


def test_workers_are_sync_and_preloaded():  # so config.wsgi is imported, and warms up, in the master
    config = runpy.run_path(str(GUNICORN))
    assert config["worker_class"] == "sync"
    assert config["preload_app"] is True
