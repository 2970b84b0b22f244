"""Hub page over GraphQL vs REST: gunicorn (production settings), loaded by wrk on 127.0.0.1.

    make bench-graphql                                # embedded: SQLite + local-memory cache
    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench-graphql BENCH_ENTRIES=100000

The same server, data (bench/datagen.py) and load generator as bench/http_bench.py. Scenarios,
each over 50 public hubs of the generated data, anonymous:

- GraphQL: ONE POST /graphql/ asking for the whole hub page (hub, owner profile, entries with
  topics, author and problem links) -- 5 queries whatever the number of entries, not cached;
- REST, cached page: GET /api/v1/hubs/<slug>/page/ -- the purpose-built REST endpoint (cached
  JSON, ETag), one request;
- REST, generic calls: what a client without that endpoint does -- GET /hubs/<slug>/, GET
  /entries/?hub=<slug>&page_size=100, GET /members/<owner>/ (3 requests for one page, no
  problem links) -- wrk rotates through the three URLs, so "pages/s" is req/s ÷ 3.

Every URL and body is checked to answer 200 without errors before it is loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import datagen  # noqa: E402 - sets up Django with the environment's database
import http_bench  # noqa: E402 - the server, the URL loader and the wrk summary

from nexus.hubs.models import Hub  # noqa: E402

HUB_PAGE = """
query HubPage($ref: String!) {
  hub(ref: $ref) {
    databaseId slug title overviewHtml visibility createdAt updatedAt
    program { slug name }
    cohort { slug name }
    owner { username displayName profile { bio track githubUrl linkedinUrl websiteUrl } }
    entries {
      databaseId kind section title body bodyHtml problemHtml solutionHtml outcomeHtml references
      status position publishedAt createdAt updatedAt
      topics { slug name }
      author { username displayName }
      problemLink { problem { databaseId title } }
    }
  }
}
"""


def hubs(rng: random.Random) -> list[tuple[str, str]]:
    rows = list(
        Hub.objects.filter(slug__startswith=datagen.PREFIX, visibility="public").values_list("slug", "owner__username")
    )
    return rng.sample(rows, min(50, len(rows)))


def check_graphql(port: int, bodies: list[str]) -> None:
    """Every body answers 200 with data and no errors (a benchmark of errors proves nothing)."""
    for body in bodies:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql/",
            data=body.encode(),
            headers={"Content-Type": "application/json", "X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            answer = json.loads(response.read())
            if response.status != 200 or answer.get("errors") or not answer["data"]["hub"]:
                raise SystemExit(f"GraphQL answered {response.status}: {str(answer)[:300]}")


def load_graphql(port: int, name: str, bodies: list[str], seconds: int, connections: int) -> http_bench.Result:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(bodies) + "\n")
    env = {**os.environ, "WRK_BODIES": f.name}
    base = ["wrk", "-t1", f"-c{connections}", "--timeout", "10s", "--latency", "-H", "X-Forwarded-Proto: https"]
    script = ["-s", str(ROOT / "bench" / "wrk_graphql.lua"), f"http://127.0.0.1:{port}"]
    subprocess.run([*base, "-d2s", *script], env=env, capture_output=True, check=True)  # noqa: S603 - warm-up
    out = subprocess.run([*base, f"-d{seconds}s", *script], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    os.unlink(f.name)
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    # A redirect or an error page is small: every answer here is a whole hub page (> 2 kB).
    if summary["requests"] and summary["bytes"] / summary["requests"] < 2000:
        raise SystemExit(f"{name}: {summary['bytes'] / summary['requests']:.0f} bytes per answer, not hub pages")
    return http_bench.Result(
        name=name,
        rps=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=sum(summary[k] for k in ("connect", "read", "write", "status", "timeout")),
        requests=summary["requests"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="measured time per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: config/gunicorn.py)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench-graphql installs it with apt-get)")

    datagen.ensure(args.entries)
    from django.db import connection

    sample = hubs(random.Random(11))  # noqa: S311 - a reproducible sample
    entries_per_hub = datagen.bench_entries() / max(1, Hub.objects.filter(slug__startswith=datagen.PREFIX).count())
    connection.close()
    bodies = [json.dumps({"query": HUB_PAGE, "variables": {"ref": slug}}) for slug, _ in sample]
    cached = [f"/api/v1/hubs/{slug}/page/" for slug, _ in sample]
    generic = [
        url
        for slug, owner in sample
        for url in (f"/api/v1/hubs/{slug}/", f"/api/v1/entries/?hub={slug}&page_size=100", f"/api/v1/members/{owner}/")
    ]
    port = int(os.environ.get("BENCH_PORT") or http_bench.free_port())
    workers = args.workers or 2 * (os.cpu_count() or 1)
    server = http_bench.start_server(port, args.workers)
    results: list[tuple[http_bench.Result, int]] = []
    try:
        check_graphql(port, bodies * 2 * workers)  # every worker has answered before the clock starts
        results.append((load_graphql(port, "hub page, GraphQL (1 POST)", bodies, args.seconds, args.connections), 1))
        http_bench.check(port, cached, rounds=3 * workers)
        results.append(
            (
                http_bench.load(
                    port,
                    "hub page, REST /page/ (1 GET, cached)",
                    cached,
                    args.seconds,
                    args.connections,
                    1,
                    settle=True,
                ),
                1,
            )
        )
        http_bench.check(port, generic)
        results.append(
            (http_bench.load(port, "hub page, REST generic (3 GETs)", generic, args.seconds, args.connections, 1), 3)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    mode = (
        "services (PostgreSQL + Redis)"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "embedded (SQLite + local memory)"
    )
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print()
    print(
        f"### {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.entries:,} entries "
        f"({entries_per_hub:.0f} per hub on average), {mode} — {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, gunicorn sync × "
        f"{args.workers or 'config'}, wrk 1 thread / {args.connections} connections, {args.seconds} s per scenario; "
        f"load average after: {load_avg}"
    )
    print()
    print("| scenario | req/s | pages/s | p50 (per request) | p99 (per request) | errors |")
    print("|---|---|---|---|---|---|")
    for r, per_page in results:
        print(
            f"| {r.name} | {r.rps:,.0f} | {r.rps / per_page:,.0f} | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms "
            f"| {r.errors} / {r.requests:,} |"
        )


if __name__ == "__main__":
    main()
