"""Search latency benchmark: generates hubs and entries, indexes them, times searches.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/nexus_bench  # or sqlite:////tmp/bench.sqlite3
    uv run --frozen python bench/search_bench.py --entries 100000

The database is migrated and filled once (1,000 members, one hub each -- 70% public, 20%
cohort, 10% private -- and entries spread over them, a quarter of them challenges, with text
built from the topic taxonomy and common words); a later run with the same --entries reuses it.

Every search returns hits and facet counts. Timings, each over every query x rounds:

- *cold* (the search cache off, as for a query nobody asked within SEARCH_CACHE_SECONDS): the
  service layer (`search.selectors.search`); the whole Django stack through `django.test.Client`
  (middleware, URL routing, auth, view, serializers, JSON), for an anonymous visitor and for a
  signed-in cohort member; and real HTTP over a socket (a WSGI server on 127.0.0.1 in this
  process, one request at a time), anonymous;
- the same searches with a facet filter (kind, cohort or author), cold;
- *cached* (the cache on, each query already asked once): the Django stack, both readers.

The load average is printed before and after, as other work on the machine moves the figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode
from wsgiref.simple_server import WSGIRequestHandler, make_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import datagen  # noqa: E402 - bench/datagen.py
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from nexus.accounts.models import User  # noqa: E402
from nexus.hubs.models import Entry  # noqa: E402
from nexus.search import selectors, services  # noqa: E402
from nexus.search.models import SearchDocument  # noqa: E402

QUERIES = [
    "django api",  # common + common
    "celery redis",
    "docker deployment",
    "the database",  # stop word + common word
    "learned caching",
    "postgres migration",
    "jwt token",
    "graphql schema",
    "kubernetes pods",
    "djagno query",  # a typo
    "celerry worker",  # a typo
    '"rest framework"',  # a phrase
    "redis -celery",  # an exclusion
    "nginx OR gunicorn",
]
FILTERED = [  # (query, filters): drill-downs from a common query
    ("the database", {"kind": "challenge"}),
    ("django api", {"cohort": "bench-3"}),
    ("learned caching", {"author": "bench7"}),
    ("docker deployment", {"kind": "practice", "cohort": "bench-1"}),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(label: str, run, rounds: int, queries=QUERIES, warm: int = 3) -> dict[str, float]:
    """Wall-clock percentiles of `run` over queries x rounds, and of this process's CPU time
    (which, on SQLite, includes the engine's work; on PostgreSQL, not the server's)."""
    for q in queries[:warm]:  # warm connections (and, with warm=len(queries), the search cache)
        run(q)
    times: list[float] = []
    cpu: list[float] = []
    by_query: dict[str, list[float]] = {}
    for _ in range(rounds):
        for q in queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            run(q)
            elapsed = (time.perf_counter() - start) * 1000
            cpu.append((time.process_time() - start_cpu) * 1000)
            times.append(elapsed)
            by_query.setdefault(str(q), []).append(elapsed)
    figures = {p: percentile(times, p) for p in (50, 95, 99)}
    slowest = max(by_query, key=lambda q: percentile(by_query[q], 50))
    print(
        f"  {label:<36} n={len(times):<4} p50 {figures[50]:6.1f}  p95 {figures[95]:6.1f}  p99 {figures[99]:6.1f}"
        f"  max {max(times):6.1f} ms | cpu p50 {percentile(cpu, 50):5.1f}  p95 {percentile(cpu, 95):5.1f} ms"
        f" | slowest {slowest} ({percentile(by_query[slowest], 50):.1f} ms)"
    )
    return figures


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def socket_server() -> str:
    """Serve Django's WSGI application on 127.0.0.1 (a free port) in a thread; its base URL."""
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def http_get(connection_: http.client.HTTPConnection, path: str, params: dict) -> None:
    connection_.request("GET", f"{path}?{urlencode(params)}")
    response = connection_.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}")


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20, help="times each query is run per measurement")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    existing = Entry.objects.filter(hub__slug__startswith="bench").count()
    if existing != args.entries:
        if existing:
            sys.exit(f"The database holds {existing} bench entries, not {args.entries}: use a fresh database.")
        start = time.perf_counter()
        call_command("topics", "sync", verbosity=0)
        datagen.rows(args.entries)  # the members, hubs and entries of bench/datagen.py
        print(f"generated {args.entries} entries in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        counts = services.reindex_all()
        print(f"indexed {counts} in {time.perf_counter() - start:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if existing != args.entries else "ANALYZE")
    print(
        f"{connection.vendor}: {SearchDocument.objects.count()} documents, {args.entries} entries; "
        f"SEARCH_CANDIDATES={settings.SEARCH_CANDIDATES}; {load()}"
    )
    member = User.objects.get(username="bench1")
    anonymous = AnonymousUser()
    for q in ("django api", "the database", "djagno query", "kubernetes pods"):
        result = selectors.search(actor=anonymous, q=q)
        bound = "at least " if result.capped else ""
        print(f"  {q!r}: {bound}{result.total} visible matches for an anonymous visitor")

    anonymous_client = Client()
    member_client = Client()
    member_client.force_login(member)
    base = socket_server()
    sock = http.client.HTTPConnection(base.removeprefix("http://"))

    def search_http(client: Client, q) -> None:
        text, filters = (q, {}) if isinstance(q, str) else q
        response = client.get("/api/v1/search/", {"q": text, **filters})
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}")

    print("cold (search cache off):")
    with override_settings(SEARCH_CACHE_SECONDS=0):
        measure("service, anonymous", lambda q: selectors.search(actor=anonymous, q=q), args.rounds)
        measure("service, cohort member", lambda q: selectors.search(actor=member, q=q), args.rounds)
        measure("HTTP (test client), anonymous", lambda q: search_http(anonymous_client, q), args.rounds)
        measure("HTTP (test client), member", lambda q: search_http(member_client, q), args.rounds)
        measure("HTTP (socket), anonymous", lambda q: http_get(sock, "/api/v1/search/", {"q": q}), args.rounds)
        measure(
            "HTTP (test client), filtered, anon.",
            lambda q: search_http(anonymous_client, q),
            args.rounds,
            queries=FILTERED,
        )
    print(f"  {load()}")
    print("cached (each query asked before):")
    every = len(QUERIES)
    measure("HTTP (test client), anonymous", lambda q: search_http(anonymous_client, q), args.rounds, warm=every)
    measure("HTTP (test client), member", lambda q: search_http(member_client, q), args.rounds, warm=every)
    print(f"  {load()}")


if __name__ == "__main__":
    main()
