"""Benchmark data: 1,000 members with one hub each and N entries spread over them.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 uv run --frozen python bench/datagen.py --entries 10000

Hubs are 70% public, 20% cohort, 10% private; a quarter of the entries are challenges (linked to
canonical problems), 5% are drafts; text is drawn from the topic taxonomy and common words,
three topics per entry. Rows are bulk-inserted (the services would take an hour for 100,000),
then the search index and the problem links are built by the same services a write would call.
A database that already holds the same number of bench entries is reused as it is.
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
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from nexus.accounts.models import Profile, User  # noqa: E402
from nexus.cohorts.models import Cohort, Membership, Program  # noqa: E402
from nexus.core.markdown import render_markdown  # noqa: E402
from nexus.hubs.models import Entry, Hub  # noqa: E402
from nexus.knowledge import selectors as knowledge_selectors  # noqa: E402
from nexus.knowledge import services as knowledge  # noqa: E402
from nexus.knowledge import similarity  # noqa: E402
from nexus.knowledge.models import Problem, ProblemLink, ProblemTerm  # noqa: E402
from nexus.search import services as search  # noqa: E402
from nexus.topics.models import Topic  # noqa: E402

MEMBERS = 1_000
PREFIX = "bench"
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
    out = rng.choice(TEMPLATES).replace("{a}", rng.choice(topics)).replace("{b}", rng.choice(topics))
    while "{w}" in out:
        out = out.replace("{w}", rng.choice(COMMON), 1)
    return out[0].upper() + out[1:]


def paragraph(rng: random.Random, topics: list[str], n: int) -> str:
    return " ".join(sentence(rng, topics) for _ in range(n))


def bench_entries() -> int:
    return Entry.objects.filter(hub__slug__startswith=PREFIX).count()


def _people(rng: random.Random, names: list[str]) -> list[Hub]:
    program, _ = Program.objects.get_or_create(slug=f"{PREFIX}-backend", defaults={"name": "Bench", "track": "backend"})
    cohorts = [
        Cohort.objects.get_or_create(slug=f"{PREFIX}-{i}", defaults={"program": program, "name": f"Bench {i}"})[0]
        for i in range(10)
    ]
    User.objects.bulk_create(
        User(username=f"{PREFIX}{i}", email=f"{PREFIX}{i}@example.com", password="!")  # noqa: S106 - unusable
        for i in range(MEMBERS)
    )
    users = list(User.objects.filter(username__startswith=PREFIX).order_by("pk"))
    Profile.objects.bulk_create(
        Profile(user=u, display_name=f"Bench Member {i}", bio=paragraph(rng, names, 2), track="backend")
        for i, u in enumerate(users)
    )
    Membership.objects.bulk_create(Membership(user=u, cohort=cohorts[i % len(cohorts)]) for i, u in enumerate(users))
    visibilities = ["public"] * 7 + ["cohort"] * 2 + ["private"]
    Hub.objects.bulk_create(
        Hub(
            owner=u,
            program=program,
            cohort=cohorts[i % len(cohorts)],
            slug=f"{PREFIX}{i}-hub",
            title=f"Bench Member {i}'s Project Nexus",
            overview=(overview := paragraph(rng, names, 3)),
            overview_html=render_markdown(overview),
            visibility=visibilities[i % len(visibilities)],
        )
        for i, u in enumerate(users)
    )
    return list(Hub.objects.filter(slug__startswith=PREFIX).order_by("pk"))


def _entries(rng: random.Random, hubs: list[Hub], topics: list[Topic], names: list[str], count: int) -> None:
    now = timezone.now()
    batch: list[Entry] = []
    tags: list[list[Topic]] = []

    def flush() -> None:
        created = Entry.objects.bulk_create(batch)
        tagging = Entry.topics.through
        tagging.objects.bulk_create(
            tagging(entry_id=e.pk, topic_id=t.pk) for e, picked in zip(created, tags, strict=True) for t in picked
        )
        batch.clear()
        tags.clear()

    for n in range(count):
        picked = rng.sample(topics, 3)
        topic_names = [t.name for t in picked]
        challenge = n % 4 == 0
        body = "" if challenge else paragraph(rng, topic_names + names[:40], rng.randint(4, 10))
        problem = paragraph(rng, topic_names, 2) if challenge else ""
        solution = paragraph(rng, topic_names, 3) if challenge else ""
        batch.append(
            Entry(
                hub=hubs[n % len(hubs)],
                kind="challenge" if challenge else rng.choice(["learning", "learning", "practice", "note"]),
                section="Challenges & Solutions" if challenge else "Key Learnings",
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
            flush()
    flush()


LINKED = 1_000


def _problems_bulk(entry_ids: list[int]) -> None:
    for start in range(0, len(entry_ids), 2000):
        entries = list(Entry.objects.filter(pk__in=entry_ids[start : start + 2000]).select_related("hub"))
        problems = Problem.objects.bulk_create(
            Problem(title=e.title, description=e.problem, created_by_id=e.hub.owner_id, hit_count=1) for e in entries
        )
        ProblemLink.objects.bulk_create(ProblemLink(entry=e, problem=p) for e, p in zip(entries, problems, strict=True))
        ProblemTerm.objects.bulk_create(
            ProblemTerm(problem=p, entry_id=key, term=word)
            for e, p in zip(entries, problems, strict=True)
            for key, text in ((0, f"{p.title}\n{p.description}"), (e.pk, knowledge_selectors.entry_text(e)))
            for word in sorted(similarity.terms(text))
        )


def rows(entries: int, seed: int = 7) -> None:
    """Write the bench members, hubs and entries into an empty database (migrated, topics synced)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    topics = list(Topic.objects.order_by("pk"))
    names = [t.name for t in topics]
    started = time.perf_counter()
    with transaction.atomic():
        hubs = _people(rng, names)
        _entries(rng, hubs, topics, names, entries)
    print(f"  rows written in {time.perf_counter() - started:.0f} s", flush=True)


def generate(entries: int, seed: int = 7) -> None:
    """`rows`, then the problem links and the search index, as the services would have built them."""
    rows(entries, seed)
    started = time.perf_counter()
    challenges = list(
        Entry.objects.filter(hub__slug__startswith=PREFIX, kind="challenge", status="published").values_list(
            "pk", flat=True
        )
    )
    # The service groups challenges (~15 ms each); past the first LINKED, each gets a problem of its own.
    knowledge.challenges_link(entry_ids=challenges[:LINKED])
    _problems_bulk(challenges[LINKED:])
    print(f"  {len(challenges)} challenges linked to problems in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    counts = search.reindex_all()
    print(f"  search index built in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    with connection.cursor() as cursor:  # planner statistics, as autovacuum would gather them
        cursor.execute("ANALYZE")


def ensure(entries: int) -> None:
    """Migrate, sync topics and generate `entries` bench entries unless the database holds them."""
    call_command("migrate", verbosity=0)
    existing = bench_entries()
    if existing == entries:
        print(f"  reusing the database: {existing} bench entries", flush=True)
        return
    if existing:
        raise SystemExit(f"the database holds {existing} bench entries, not {entries}: use a fresh database")
    call_command("topics", "sync", verbosity=0)
    generate(entries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    ensure(parser.parse_args().entries)


if __name__ == "__main__":
    main()
