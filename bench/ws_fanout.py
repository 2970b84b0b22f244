"""Live fan-out benchmark: one message to N connected WebSocket clients, and idle connections per process.

    make bench-ws                                    # embedded: SQLite, in-memory channel layer
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nexus_bench REDIS_URL=redis://127.0.0.1:6379/5 make bench-ws

A real ASGI server process (`--server uvicorn`, or `daphne` for comparison, a development
dependency only), serving `config.asgi:application`,
listens on 127.0.0.1 (port `BENCH_WS_PORT`, else a free one). This process fills the database
(a cohort with `--clients` members and a channel), connects every member with its own access
token (`Sec-WebSocket-Protocol: nexus.v1, bearer.<jwt>`), then posts `--messages` messages one at
a time and records, for each client, the time from just before the post to the frame's arrival.

- Services mode (REDIS_URL set): messages are posted here, through `discussions.services`, as a
  gunicorn WSGI worker would: PostgreSQL commit -> Redis channel layer -> the ASGI process -> clients.
- Embedded mode: the in-memory channel layer lives inside the server process, so messages are
  posted over HTTP to the same process (REST), as `make run` serves them.

Then `--idle` more connections are opened in batches and left idle; the server's resident memory
(VmRSS) is read after each batch: the slope is the memory per idle connection. Latencies include
the database write and commit. Clients run in this one process on the same cores as the server,
PostgreSQL and Redis: figures are conservative.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ACCESS_TOKEN_MINUTES", "120")  # tokens outlive the run (the server reads the same)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-ws.sqlite3'}")

import django  # noqa: E402

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from nexus.accounts.models import Profile, User  # noqa: E402
from nexus.cohorts.models import Cohort, Membership, Program  # noqa: E402
from nexus.discussions import services  # noqa: E402
from nexus.discussions.models import Channel, Thread  # noqa: E402

ORIGIN = "http://127.0.0.1"
SERVICES_MODE = bool(os.environ.get("REDIS_URL"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def prepare(clients: int) -> tuple[Channel, Thread, list[User]]:
    """A cohort with `clients` members, its mentor, a channel and a thread (reused by later runs)."""
    call_command("migrate", verbosity=0)
    program, _ = Program.objects.get_or_create(slug="bench-ws", defaults={"name": "Bench WS"})
    cohort, _ = Cohort.objects.get_or_create(slug="bench-ws", defaults={"name": "Bench WS", "program": program})
    have = set(User.objects.filter(username__startswith="ws-bench-").values_list("username", flat=True))
    new = [f"ws-bench-{n:05d}" for n in range(clients + 1) if f"ws-bench-{n:05d}" not in have]
    users = User.objects.bulk_create(User(username=name, email=f"{name}@bench.example") for name in new)
    Profile.objects.bulk_create(Profile(user=u) for u in users)
    members = list(User.objects.filter(username__startswith="ws-bench-").order_by("username")[: clients + 1])
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, user=u, role="mentor" if i == 0 else "learner") for i, u in enumerate(members)],
        ignore_conflicts=True,
    )
    mentor = members[0]
    channel = Channel.objects.filter(cohort=cohort, slug="fanout").first() or services.channel_create(
        actor=mentor, cohort=cohort.slug, name="Fanout"
    )
    thread = Thread.objects.filter(channel=channel).first() or services.thread_create(
        actor=mentor, channel_id=channel.pk, title="Bench", body="start"
    )
    return channel, thread, members


def start_server(kind: str, port: int, ws: str, deflate: bool) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    if kind == "uvicorn":
        cmd = ["uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
               "--no-access-log", "--log-level", "warning", "--ws-ping-interval", "0", "--ws", ws,
               "--ws-per-message-deflate", "false" if not deflate else "true"]  # fmt: skip
    else:
        cmd = ["daphne", "-b", "127.0.0.1", "-p", str(port), "-v", "0", "--ping-interval", "3600",
               "config.asgi:application"]  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-m", *cmd], cwd=ROOT, env=env)  # noqa: S603 - fixed command
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"{kind} exited with {proc.returncode}") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{kind} did not listen on {port}")


async def open_client(url: str, token: str):
    ws = await connect(
        url, subprotocols=["nexus.v1", f"bearer.{token}"], origin=ORIGIN, open_timeout=60, ping_interval=None,
        max_queue=None,
    )  # fmt: skip
    hello = json.loads(await ws.recv())
    assert hello["type"] == "subscribed", hello
    return ws


def post_http(port: int, thread_id: int, token: str, body: str) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/threads/{thread_id}/messages/",
        data=json.dumps({"body": body}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Host": "127.0.0.1"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201, response.status


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def fanout(port: int, channel: Channel, thread: Thread, members: list[User], messages: int) -> dict:
    url = f"ws://127.0.0.1:{port}/ws/channels/{channel.pk}/"
    poster = members[0]
    tokens = [str(AccessToken.for_user(u)) for u in members[1:]]
    started = time.perf_counter()
    clients = []
    for batch in range(0, len(tokens), 50):
        clients += await asyncio.gather(*(open_client(url, t) for t in tokens[batch : batch + 50]))
    connect_seconds = time.perf_counter() - started

    sent: dict[str, float] = {}
    latencies: list[float] = []
    per_round: dict[str, list[float]] = {}

    async def listen(ws) -> None:
        async for raw in ws:
            frame = json.loads(raw)
            if frame["type"] == "message.created" and frame["data"]["body"] in sent:
                delay = time.perf_counter() - sent[frame["data"]["body"]]
                latencies.append(delay)
                per_round.setdefault(frame["data"]["body"], []).append(delay)

    listeners = [asyncio.create_task(listen(ws)) for ws in clients]
    post_token = str(AccessToken.for_user(poster))
    post_times = []
    # one message first that is not counted: the server's first request imports and connects lazily
    await (
        sync_to_async(services.message_post)(actor=poster, thread_id=thread.pk, body="warm-up")
        if SERVICES_MODE
        else asyncio.to_thread(post_http, port, thread.pk, post_token, "warm-up")
    )
    await asyncio.sleep(1)
    for n in range(messages):
        body = f"bench message {n} {time.time_ns()}"
        sent[body] = time.perf_counter()
        if SERVICES_MODE:
            await sync_to_async(services.message_post)(actor=poster, thread_id=thread.pk, body=body)
        else:
            await asyncio.to_thread(post_http, port, thread.pk, post_token, body)
        post_times.append(time.perf_counter() - sent[body])
        deadline = time.monotonic() + 30
        while len(per_round.get(body, [])) < len(clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.2)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in clients), return_exceptions=True)
    complete = sum(1 for values in per_round.values() if len(values) == len(clients))
    lasts = [max(values) for values in per_round.values()]
    return {
        "clients": len(clients),
        "messages": messages,
        "complete_rounds": complete,
        "connect_seconds": round(connect_seconds, 2),
        "post_ms_p50": round(statistics.median(post_times) * 1000, 1),
        "latency_ms_p50": round(percentile(latencies, 50) * 1000, 1),
        "latency_ms_p90": round(percentile(latencies, 90) * 1000, 1),
        "latency_ms_p99": round(percentile(latencies, 99) * 1000, 1),
        "latency_ms_max": round(max(latencies) * 1000, 1),
        "last_client_ms_p50": round(statistics.median(lasts) * 1000, 1),
    }


async def idle(port: int, channel: Channel, members: list[User], count: int, batch: int, pid: int) -> dict:
    url = f"ws://127.0.0.1:{port}/ws/channels/{channel.pk}/"
    tokens = [str(AccessToken.for_user(u)) for u in members[1:]]
    await asyncio.sleep(1)
    baseline = rss_kib(pid)
    samples = [(0, baseline)]
    clients: list = []
    error = ""
    started = time.perf_counter()
    while len(clients) < count:
        size = min(batch, count - len(clients))
        try:
            for chunk in range(0, size, 100):
                n = min(100, size - chunk)
                clients += await asyncio.gather(
                    *(open_client(url, tokens[(len(clients) + i) % len(tokens)]) for i in range(n))
                )
        except Exception as exc:  # noqa: BLE001 - the limit is what we are looking for
            error = f"{type(exc).__name__}: {exc}"
            break
        await asyncio.sleep(1)
        samples.append((len(clients), rss_kib(pid)))
    seconds = time.perf_counter() - started
    await asyncio.gather(*(ws.close() for ws in clients), return_exceptions=True)
    (n0, r0), (n1, r1) = samples[0], samples[-1]
    per_connection = (r1 - r0) / (n1 - n0) if n1 > n0 else 0.0
    return {
        "idle_connections": len(clients),
        "open_seconds": round(seconds, 1),
        "rss_mib_before": round(r0 / 1024, 1),
        "rss_mib_after": round(r1 / 1024, 1),
        "kib_per_connection": round(per_connection, 1),
        "samples": [(n, round(r / 1024, 1)) for n, r in samples],
        "stopped_by": error or "the requested count",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--ws", default="websockets-sansio", help="uvicorn's WebSocket implementation")
    parser.add_argument("--deflate", action="store_true", help="uvicorn: permessage-deflate on (off in production)")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--idle", type=int, default=5000, help="idle connections to open (0 skips)")
    parser.add_argument("--batch", type=int, default=1000, help="idle connections per memory sample")
    args = parser.parse_args()

    channel, thread, members = prepare(args.clients)
    port = int(os.environ.get("BENCH_WS_PORT") or free_port())
    load_before = os.getloadavg()
    server = start_server(args.server, port, args.ws, args.deflate)
    try:
        result = {
            "server": args.server
            + (f" (--ws {args.ws}, deflate {'on' if args.deflate else 'off'})" if args.server == "uvicorn" else ""),
            "mode": "services (PostgreSQL, Redis channel layer)" if SERVICES_MODE else "embedded (SQLite, in-memory)",
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1],
            "load_average_before": [round(x, 2) for x in load_before],
            "server_rss_mib_at_start": round(rss_kib(server.pid) / 1024, 1),
        }
        result |= asyncio.run(fanout(port, channel, thread, members, args.messages))
        print(json.dumps(result, indent=2), flush=True)
        if args.idle:
            idle_result = asyncio.run(idle(port, channel, members, args.idle, args.batch, server.pid))
            samples = idle_result.pop("samples")
            idle_result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
            print(json.dumps(idle_result, indent=2))
            print("server RSS by idle connections:", ", ".join(f"{n}: {mib} MiB" for n, mib in samples), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # still closing thousands of connections
            server.kill()


if __name__ == "__main__":
    main()
