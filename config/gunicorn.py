"""gunicorn settings for the HTTP process in production (and in `make bench`).

    gunicorn -c config/gunicorn.py config.wsgi

Sync workers: Django's views are synchronous and CPU-bound here, and a sync worker runs them with
no event loop or thread hand-off (WebSockets run in their own ASGI process). Everything can be
overridden from the environment; see "Production" in README.md.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}")  # noqa: S104
# Two per core: a worker waiting on PostgreSQL or Redis leaves its core to another.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak cannot grow without bound -- but rarely: a new
# worker starts with empty per-process caches (local memory, the cache's local layer) and pays
# copy-on-write faults for the preloaded app. At 10,000 a worker was replaced every ~10 s under
# the HTTP benchmark's load: the plain view lost ~15% of its throughput, a cached hub page ~25%
# (bench/RESULTS.md, 2026-12-06).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
preload_app = True  # import Django once; workers fork with it loaded
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - heartbeat files, not data
accesslog = None  # the app logs each request as one JSON line (RequestIdMiddleware)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
