"""Health-check cycle benchmark: 1,000 registered APIs served by local stub servers.

    uv run --frozen python bench/registry_health.py --apis 1000 --cycles 3

A separate process runs asyncio stub servers on 127.0.0.1 (ports chosen by the OS) that answer
each API's health URL: most with 200, some with 503, some slowly, a few never (they hang past
the total timeout). The APIs are registered in a throwaway SQLite database; each cycle is
`registry.services.health_check_run()` -- the beat task's body: the guarded async client with
bounded concurrency, one HealthCheck row per API, state changes and alerts. Reports wall time
per cycle, checks per second, and the benchmark process's peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_DB = Path(tempfile.mkdtemp(prefix="nexus-bench-registry-")) / "bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_DB}")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["NEXUS_OUTBOUND_ALLOW_LOOPBACK"] = "true"  # the stubs listen on 127.0.0.1


def _stub_kind(i: int, *, failing: int, slow: int, hanging: int) -> str:
    if i < hanging:
        return "hang"
    if i < hanging + slow:
        return "slow"
    if i < hanging + slow + failing:
        return "fail"
    return "ok"


async def _serve(ports: int, kinds: dict[int, str], ready: mp.Queue) -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                kind = kinds.get(int(path.rsplit("/", 1)[-1] or 0), "ok")
                if kind == "hang":
                    await asyncio.sleep(3600)
                if kind == "slow":
                    await asyncio.sleep(0.5)
                status, body = (b"503 Service Unavailable", b"down") if kind == "fail" else (b"200 OK", b'{"ok":true}')
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    servers = [await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024) for _ in range(ports)]
    ready.put([s.sockets[0].getsockname()[1] for s in servers])
    await asyncio.Event().wait()


def _stub_process(ports: int, kinds: dict[int, str], ready: mp.Queue) -> None:
    asyncio.run(_serve(ports, kinds, ready))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apis", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--ports", type=int, default=20, help="stub servers (distinct origins)")
    parser.add_argument("--failing", type=int, default=50)
    parser.add_argument("--slow", type=int, default=30, help="answer after 0.5 s")
    parser.add_argument("--hanging", type=int, default=10, help="never answer (cut at the total timeout)")
    parser.add_argument("--total-timeout", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--trace-memory", action="store_true", help="tracemalloc peak (slows the cycle)")
    args = parser.parse_args()
    os.environ["REGISTRY_HEALTH_TOTAL_TIMEOUT"] = str(args.total_timeout)
    os.environ["REGISTRY_HEALTH_READ_TIMEOUT"] = str(args.total_timeout)
    os.environ["REGISTRY_HEALTH_CONCURRENCY"] = str(args.concurrency)

    import django

    django.setup()
    from django.core.management import call_command

    from nexus.accounts.models import User
    from nexus.registry import services
    from nexus.registry.models import HealthCheck, RegisteredApi

    kinds = {i: _stub_kind(i, failing=args.failing, slow=args.slow, hanging=args.hanging) for i in range(args.apis)}
    ready: mp.Queue = mp.Queue()
    stub = mp.Process(target=_stub_process, args=(args.ports, kinds, ready), daemon=True)
    stub.start()
    ports = ready.get(timeout=30)
    try:
        call_command("migrate", verbosity=0)
        owner = User.objects.create_user("bench-owner", "bench@example.com", "x" * 12)
        RegisteredApi.objects.bulk_create(
            [
                RegisteredApi(
                    owner=owner,
                    name=f"API {i}",
                    slug=f"api-{i}",
                    base_url=f"http://127.0.0.1:{ports[i % len(ports)]}/",
                    health_url=f"http://127.0.0.1:{ports[i % len(ports)]}/health/{i}",
                    visibility="public",
                )
                for i in range(args.apis)
            ],
            batch_size=500,
        )
        print(
            f"{args.apis} APIs on {len(ports)} stub servers: {args.failing} failing, {args.slow} slow (0.5 s), "
            f"{args.hanging} hanging; total timeout {args.total_timeout} s, concurrency {args.concurrency}"
        )
        print(f"load average before: {os.getloadavg()}")
        if args.trace_memory:
            tracemalloc.start()
        for cycle in range(1, args.cycles + 1):
            started = time.perf_counter()
            counts = services.health_check_run()
            elapsed = time.perf_counter() - started
            traced = ""
            if args.trace_memory:
                traced = f", traced peak {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB"
                tracemalloc.reset_peak()
            errors = Counter(
                e.split(":", 1)[0]
                for e in HealthCheck.objects.filter(ok=False).exclude(error="").values_list("error", flat=True)
            )
            HealthCheck.objects.all().delete()
            print(
                f"cycle {cycle}: {elapsed:.2f} s, {args.apis / elapsed:.0f} checks/s, {counts}, "
                f"errors {dict(errors)}{traced}"
            )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"max RSS {rss:.0f} MB; load average after: {os.getloadavg()}")
    finally:
        stub.terminate()
        stub.join(5)


if __name__ == "__main__":
    main()
