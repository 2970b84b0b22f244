"""Search latency benchmark: generates hubs and entries, indexes them, times searches.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/nexus_bench  # or sqlite:////tmp/bench.sqlite3
    uv run --frozen python bench/search_bench.py --entries 100000

The database is migrated and filled once (1,000 members, one hub each -- 70% public, 20%
cohort, 10% private -- and entries spread over them, a quarter of them challenges, with text
built from the topic taxonomy and common words); a later run with the same --entries reuses it.
Timings are per search through the service layer (`search.selectors.search`, hits + facets) and
through the full Django stack (`django.test.Client`: middleware, URL routing, auth, view,
serializers, JSON), for an anonymous visitor and for a signed-in cohort member.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from nexus.accounts.models import Profile, User  # noqa: E402
from nexus.cohorts.models import Cohort, Membership, Program  # noqa: E402
from nexus.hubs.models import Entry, Hub  # noqa: E402
from nexus.search import selectors, services  # noqa: E402
from nexus.search.models import SearchDocument  # noqa: E402
from nexus.topics.models import Topic  # noqa: E402

MEMBERS = 1_000
COMMON = (  # noqa: SIM905
    "the a to and of in for with on is it this that we used our app when after before because so then "
    "learned built fixed added tested deployed configured wrote moved made set ran found tried broke "
    "api endpoint model view query database cache task queue worker request response error test build "
    "deploy container server client user data schema migration token auth page form file log config "
    "team project feature issue bug performance latency memory speed time week sprint review mentor "
    "frontend backend service module function class method field index table job retry timeout limit"
).split()
TEMPLATES = [
    "{a} {w} {w} {b} {w} {w} {w}.",
    "We {w} the {w} with {a} and {b} {w} {w}.",
    "{a} made the {w} {w} {w} than {b}.",
    "After {w} {w}, {a} {w} {w} {w} {w} {b}.",
    "The {w} {w} {w} {a} {w} {w} {w} {w}.",
]


def sentence(rng: random.Random, topics: list[str]) -> str:
    template = rng.choice(TEMPLATES)
    out = template.replace("{a}", rng.choice(topics)).replace("{b}", rng.choice(topics))
    while "{w}" in out:
        out = out.replace("{w}", rng.choice(COMMON), 1)
    return out[0].upper() + out[1:]


def paragraph(rng: random.Random, topics: list[str], n: int) -> str:
    return " ".join(sentence(rng, topics) for _ in range(n))


def generate(entries: int, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    call_command("topics", "sync")
    all_topics = list(Topic.objects.all())
    names = [t.name for t in all_topics]
    program, _ = Program.objects.get_or_create(slug="bench-backend", defaults={"name": "Bench", "track": "backend"})
    cohorts = [
        Cohort.objects.get_or_create(slug=f"bench-{i}", defaults={"program": program, "name": f"Bench {i}"})[0]
        for i in range(10)
    ]
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"bench{i}", email=f"bench{i}@example.com", password="!")  # noqa: S106 - unusable
            for i in range(MEMBERS)
        )
        users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
        Profile.objects.bulk_create(
            Profile(user=u, display_name=f"Bench Member {i}", bio=paragraph(rng, names, 2), track="backend")
            for i, u in enumerate(users)
        )
        Membership.objects.bulk_create(
            Membership(user=u, cohort=cohorts[i % len(cohorts)]) for i, u in enumerate(users)
        )
        visibilities = ["public"] * 7 + ["cohort"] * 2 + ["private"]
        Hub.objects.bulk_create(
            Hub(
                owner=u,
                program=program,
                cohort=cohorts[i % len(cohorts)],
                slug=f"bench{i}-hub",
                title=f"Bench Member {i}'s Project Nexus",
                overview=(overview := paragraph(rng, names, 3)),
                overview_html=f"<p>{overview}</p>",
                visibility=visibilities[i % len(visibilities)],
            )
            for i, u in enumerate(users)
        )
        hubs = list(Hub.objects.filter(slug__startswith="bench").order_by("pk"))
        now = timezone.now()
        batch: list[Entry] = []
        tags: list[list[Topic]] = []
        for n in range(entries):
            hub = hubs[n % len(hubs)]
            picked = rng.sample(all_topics, 3)
            topic_names = [t.name for t in picked]
            challenge = n % 4 == 0
            body = "" if challenge else paragraph(rng, topic_names + names[:40], rng.randint(4, 10))
            problem = paragraph(rng, topic_names, 2) if challenge else ""
            solution = paragraph(rng, topic_names, 3) if challenge else ""
            batch.append(
                Entry(
                    hub=hub,
                    kind="challenge" if challenge else rng.choice(["learning", "learning", "practice", "note"]),
                    title=f"{picked[0].name} {rng.choice(COMMON[20:])} {rng.choice(COMMON[60:])}",
                    body=body,
                    body_html=f"<p>{body}</p>" if body else "",
                    problem=problem,
                    problem_html=f"<p>{problem}</p>" if problem else "",
                    solution=solution,
                    solution_html=f"<p>{solution}</p>" if solution else "",
                    status="published" if n % 20 else "draft",
                    published_at=now if n % 20 else None,
                    position=n // len(hubs),
                )
            )
            tags.append(picked)
            if len(batch) == 5000:
                _flush(batch, tags)
                batch, tags = [], []
        _flush(batch, tags)


def _flush(batch: list[Entry], tags: list[list[Topic]]) -> None:
    created = Entry.objects.bulk_create(batch)
    tagging = Entry.topics.through
    tagging.objects.bulk_create(
        tagging(entry_id=e.pk, topic_id=t.pk) for e, picked in zip(created, tags, strict=True) for t in picked
    )


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


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(label: str, run, rounds: int) -> None:
    for q in QUERIES[:3]:  # warm caches and connections
        run(q)
    times = []
    for _ in range(rounds):
        for q in QUERIES:
            start = time.perf_counter()
            run(q)
            times.append((time.perf_counter() - start) * 1000)
    print(
        f"  {label:<34} n={len(times):<5} p50 {percentile(times, 50):6.1f} ms   p95 {percentile(times, 95):6.1f} ms"
        f"   p99 {percentile(times, 99):6.1f} ms   max {max(times):6.1f} ms"
    )


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
        generate(args.entries)
        print(f"generated {args.entries} entries in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        counts = services.reindex_all()
        print(f"indexed {counts} in {time.perf_counter() - start:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    print(f"{connection.vendor}: {SearchDocument.objects.count()} documents, {args.entries} entries")
    member = User.objects.get(username="bench1")
    for q in ("django api", "the database", "djagno query"):
        result = selectors.search(actor=AnonymousUser(), q=q)
        print(f"  {q!r}: {result.total} visible matches for an anonymous visitor")

    measure("service, anonymous", lambda q: selectors.search(actor=AnonymousUser(), q=q), args.rounds)
    measure("service, cohort member", lambda q: selectors.search(actor=member, q=q), args.rounds)
    anonymous_client = Client()
    measure("HTTP (test client), anonymous", lambda q: anonymous_client.get("/api/v1/search/", {"q": q}), args.rounds)
    member_client = Client()
    member_client.force_login(member)
    measure("HTTP (test client), member", lambda q: member_client.get("/api/v1/search/", {"q": q}), args.rounds)


if __name__ == "__main__":
    main()
