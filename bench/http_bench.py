"""HTTP load benchmark: the API under gunicorn, loaded by wrk from another process on 127.0.0.1.

    make bench-http                                   # embedded: SQLite + local-memory cache
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nexus_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        make bench-http BENCH_ENTRIES=100000          # services: PostgreSQL + Redis

The data (bench/datagen.py: 1,000 members, N entries) is generated once per database. The server
is gunicorn with the production settings and config/gunicorn.py -- the configuration README.md
documents -- plus three reference views (bench/references.py). Each scenario is loaded for a
fixed time after a warm-up; wrk rotates through many URLs (entries, hubs, queries) so no single
row is measured. Requests carry `X-Forwarded-Proto: https`, as they would behind the TLS proxy,
and `Accept-Encoding: gzip`, as browsers do (only the cached hub reads compress: see hubs/http.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import datagen  # noqa: E402 - sets up Django with the environment's database

from nexus.hubs.models import Entry, Hub  # noqa: E402

SEARCHES = [
    "django api", "celery redis", "docker deployment", "the database", "learned caching", "postgres migration",
    "jwt token", "graphql schema", "kubernetes pods", "djagno query", "celerry worker", '"rest framework"',
    "redis -celery", "nginx OR gunicorn",
]  # fmt: skip


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scenario_paths(rng: random.Random) -> dict[str, list[str]]:
    public = Entry.objects.filter(hub__slug__startswith=datagen.PREFIX, hub__visibility="public", status="published")
    entry_ids = list(public.values_list("pk", flat=True))
    challenge_ids = list(public.filter(kind="challenge", problem_link__isnull=False).values_list("pk", flat=True))
    hub_slugs = list(
        Hub.objects.filter(slug__startswith=datagen.PREFIX, visibility="public").values_list("slug", flat=True)
    )
    entries = rng.sample(entry_ids, min(500, len(entry_ids)))
    hubs = rng.sample(hub_slugs, min(50, len(hub_slugs)))
    challenges = rng.sample(challenge_ids, min(200, len(challenge_ids)))
    return {
        "plain JSON view (reference)": ["/bench/plain/"],
        "entry list, naive DRF (reference)": ["/bench/naive-entries/?page_size=20"],
        "entry list, hand-tuned (reference)": ["/bench/tuned-entries/"],
        "entry list": ["/api/v1/entries/?page_size=20"],
        "entry detail": [f"/api/v1/entries/{pk}/" for pk in entries],
        "hub README export (cached)": [f"/api/v1/hubs/{slug}/readme/" for slug in hubs],
        "hub page (cached)": [f"/api/v1/hubs/{slug}/page/" for slug in hubs],
        "search, with facets": [f"/api/v1/search/?q={urllib.request.quote(q)}" for q in SEARCHES],
        "similar challenges": [f"/api/v1/entries/{pk}/similar/" for pk in challenges],
    }


def start_server(port: int, workers: int | None) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.py"), "config.wsgi"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own command line
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def check(port: int, paths: list[str], rounds: int = 1) -> None:
    """Every URL of the scenario answers 200 before it is loaded (a benchmark of 404s proves nothing);
    `rounds` > 1 also fills every worker's cache (local memory is per process in embedded mode): the
    requests go eight at a time, so they reach every worker, not the one that happens to be idle."""

    def get(path: str) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"})
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")

    for path in paths:
        get(path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(get, paths * (rounds - 1)))


def load(
    port: int, name: str, paths: list[str], seconds: int, connections: int, threads: int, *, settle: bool = False
) -> Result:
    """Load the scenario's URLs for `seconds` after a 2 s warm-up; with `settle`, warm up until the
    rate stops rising (at most 60 s): a cached scenario is measured once every worker holds every
    page -- gunicorn's workers each have their own local-memory cache in embedded mode, and a
    hot worker wins most accepts, so a few requests cannot reach them all."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    env = {**os.environ, "WRK_PATHS": f.name}
    base = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
        "-H",
        "Accept-Encoding: gzip",  # as every browser and HTTP library sends it
    ]
    script = ["-s", str(ROOT / "bench" / "wrk_paths.lua"), f"http://127.0.0.1:{port}"]

    def run(duration: int) -> dict:
        out = subprocess.run([*base, f"-d{duration}s", *script], env=env, capture_output=True, text=True, check=True)  # noqa: S603
        return json.loads(out.stdout.strip().splitlines()[-1])

    def rate(summary: dict) -> float:
        return summary["requests"] / (summary["duration_us"] / 1e6)

    previous = rate(run(2))
    deadline = time.monotonic() + 60
    while settle and time.monotonic() < deadline:
        current = rate(run(2))
        if current < previous * 1.05:
            break
        previous = current
    summary = run(seconds)
    os.unlink(f.name)
    errors = sum(summary[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        name=name,
        rps=rate(summary),
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=errors,
        requests=summary["requests"],
    )


def report(results: list[Result], header: str) -> str:
    by = {r.name: r for r in results}
    plain = by["plain JSON view (reference)"].rps
    naive = by["entry list, naive DRF (reference)"].rps
    tuned = by["entry list, hand-tuned (reference)"].rps
    lines = [
        header,
        "",
        "| scenario | req/s | p50 | p99 | errors | vs plain JSON | vs hand-tuned | vs naive |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.rps:,.0f} | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms | {r.errors} / {r.requests:,} "
            f"| {r.rps / plain:.0%} | {r.rps / tuned:.0%} | {r.rps / naive:.1f}× |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="measured time per scenario")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (the load generator shares the cores)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: config/gunicorn.py)")
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench-http installs it with apt-get)")

    datagen.ensure(args.entries)
    from django.db import connection

    paths = scenario_paths(random.Random(11))  # noqa: S311 - a reproducible sample
    connection.close()
    port = int(os.environ.get("BENCH_PORT") or free_port())
    workers = args.workers or 2 * (os.cpu_count() or 1)  # as config/gunicorn.py decides
    server = start_server(port, args.workers)
    results = []
    try:
        for name, urls in paths.items():
            if args.only and args.only not in name and "reference" not in name:
                continue
            check(port, urls, rounds=3 * workers if "cached" in name else 1)
            result = load(port, name, urls, args.seconds, args.connections, args.threads, settle="cached" in name)
            print(f"  {name:<38} {result.rps:8,.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  "
                  f"errors {result.errors}", flush=True)  # fmt: skip
            results.append(result)
    finally:
        server.terminate()
        server.wait(timeout=30)
    mode = (
        "services (PostgreSQL + Redis)"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "embedded (SQLite + local memory)"
    )
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    header = (
        f"### {time.strftime('%Y-%m-%d')}, {args.entries:,} entries, {mode} — {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, gunicorn sync × "
        f"{args.workers or 'config'}, wrk {args.threads} thread / {args.connections} connections, "
        f"{args.seconds} s per scenario; load average after: {load_avg}"
    )
    print()
    print(report(results, header))


if __name__ == "__main__":
    main()
