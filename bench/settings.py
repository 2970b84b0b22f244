"""Production settings, with the benchmark's reference views mounted (bench/urls.py)."""

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
