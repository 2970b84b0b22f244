"""Reads: problems a viewer may see, their ranked solutions, and problems similar to a text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from nexus.core.cache import CONTENT_VERSION, cached_versioned, viewer_key
from nexus.hubs import selectors as hub_selectors
from nexus.hubs.access import Actor, entries_visible_to
from nexus.hubs.models import Entry
from nexus.knowledge import similarity
from nexus.knowledge.access import access_problem, problems_visible_to, solutions_visible_to
from nexus.knowledge.models import (
    Problem,
    ProblemConfirmation,
    ProblemTerm,
    SolutionConfirmation,
    SolutionVerification,
)
from nexus.topics import selectors as topic_selectors
from nexus.topics.models import Topic

PROBLEM_ORDERINGS = ("-hit_count", "-created_at", "-updated_at", "title")
CANDIDATES = 50  # problems scored exactly after the first, cheap pass
VERIFIED_WEIGHT = 3.0

_TOPICS = Prefetch("topics", queryset=Topic.objects.only("id", "slug", "name").order_by("name"))


def problem_list(
    *, actor: Actor, topic: str | None = None, cohort: str | None = None, q: str | None = None
) -> QuerySet[Problem]:
    """Live (not merged) problems the actor may read; `topic` includes its descendants, `cohort`
    keeps problems with a published challenge from that cohort's hubs."""
    qs = problems_visible_to(actor).filter(merged_into__isnull=True).prefetch_related(_TOPICS)
    if topic:
        tagged = Problem.topics.through.objects.filter(topic_id__in=topic_selectors.topic_with_descendants(slug=topic))
        qs = qs.filter(pk__in=tagged.values("problem_id"))
    if cohort:
        qs = qs.filter(links__entry__hub__cohort__slug=cohort, links__entry__status=Entry.Status.PUBLISHED).distinct()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return qs


def problems_hit_by(*, actor: Actor, problem_ids: Iterable[int]) -> set[int]:
    """Which of the given problems the actor said "I hit this too" on, in one query (none if anonymous)."""
    if not actor.is_authenticated:
        return set()
    return set(
        ProblemConfirmation.objects.filter(problem_id__in=list(problem_ids), user_id=actor.pk).values_list(
            "problem_id", flat=True
        )
    )


def problem_hit_by(*, actor: Actor, problem: Problem) -> bool:
    """Whether the actor said "I hit this too" on the problem."""
    if not actor.is_authenticated:
        return False
    return ProblemConfirmation.objects.filter(problem=problem, user_id=actor.pk).exists()


@dataclass(frozen=True)
class RankedSolution:
    """A challenge entry as a solution of its problem, with what its rank is made of."""

    entry: Entry
    score: float
    confirmations: int
    verified: bool
    verified_at: datetime | None
    confirmed_by_me: bool


def solution_score(
    *,
    published_at: datetime,
    confirmed_at: Iterable[datetime],
    verified_at: datetime | None,
    now: datetime,
    half_life_days: float,
) -> float:
    """`decay(published) + sum(decay(each confirmation)) + 3 * decay(verification)`.

    Every signal weighs 1 when new and half as much after each half-life, so an old verified
    answer with no recent confirmations sinks below a newer one that people confirm now.
    """

    def w(moment: datetime) -> float:
        return similarity.decay((now - moment).total_seconds(), half_life_days)

    score = w(published_at) + sum(w(moment) for moment in confirmed_at)
    if verified_at is not None:
        score += VERIFIED_WEIGHT * w(verified_at)
    return round(score, 6)


def problem_solutions(*, actor: Actor, problem: Problem, now: datetime | None = None) -> list[RankedSolution]:
    """The problem's challenges the actor may read, best first (score, then newest, then id)."""
    return problems_solutions(actor=actor, problem_ids=[problem.pk], now=now)[problem.pk]


def problems_solutions(
    *, actor: Actor, problem_ids: Iterable[int], now: datetime | None = None
) -> dict[int, list[RankedSolution]]:
    """`problem_solutions` of several problems in a fixed number of queries (for lists): problem id -> ranked."""
    now = now or timezone.now()
    half_life = settings.KNOWLEDGE_HALF_LIFE_DAYS
    problem_ids = list(problem_ids)
    mine = (
        SolutionConfirmation.objects.filter(entry_id=OuterRef("pk"), user_id=actor.pk)
        if actor.is_authenticated
        else SolutionConfirmation.objects.none()
    )
    entries = (
        solutions_visible_to(actor)
        .filter(problem_link__problem_id__in=problem_ids)
        .select_related("hub__owner__profile", "verification", "problem_link")
        .prefetch_related(
            _TOPICS, Prefetch("confirmations", queryset=SolutionConfirmation.objects.only("entry_id", "created_at"))
        )
        .annotate(confirmed_by_me=Exists(mine))
    )
    found: dict[int, list[RankedSolution]] = {pk: [] for pk in problem_ids}
    for entry in entries:
        confirmed = [c.created_at for c in entry.confirmations.all()]
        verification = getattr(entry, "verification", None)
        verified_at = verification.created_at if verification else None
        found[entry.problem_link.problem_id].append(
            RankedSolution(
                entry=entry,
                score=solution_score(
                    published_at=entry.published_at or entry.created_at,
                    confirmed_at=confirmed,
                    verified_at=verified_at,
                    now=now,
                    half_life_days=half_life,
                ),
                confirmations=len(confirmed),
                verified=verification is not None,
                verified_at=verified_at,
                confirmed_by_me=bool(entry.confirmed_by_me),
            )
        )
    for ranked in found.values():
        ranked.sort(key=lambda r: (-r.score, -(r.entry.published_at or r.entry.created_at).timestamp(), r.entry.pk))
    return found


# --- cached pages -------------------------------------------------------------------------------

# Cached pages are dropped by any write they show (CONTENT_VERSION), and kept five minutes at most
# so the time decay of solution scores moves on.
PAGE_TIMEOUT = 300


def problem_page(*, actor: Actor, problem_id: int, build: Callable[[Problem], dict[str, Any]]) -> dict[str, Any]:
    """A problem's page as `build` shapes it from the problem the actor may read (404 otherwise),
    cached per viewer: a hit costs no query, a write to anything it shows drops it."""
    return cached_versioned(
        f"problem-page:v1:{problem_id}:{viewer_key(actor)}",
        [CONTENT_VERSION],
        lambda: build(access_problem(actor, problem_id)),
        timeout=PAGE_TIMEOUT,
    )


TOPIC_PAGE_ENTRIES = 10
TOPIC_PAGE_PROBLEMS = 10


def topic_page(*, actor: Actor, slug: str) -> dict[str, Any]:
    """What the cohort wrote about a topic (and the topics below it), as the actor may read it:
    how many entries and members, the newest entries, and the problems most learners hit.
    Cached per viewer and dropped by any write it shows or a taxonomy change."""
    return cached_versioned(
        f"topic-page:v1:{slug}:{viewer_key(actor)}",
        [CONTENT_VERSION, topic_selectors.TAXONOMY_VERSION],
        lambda: _topic_page(actor, slug),
        timeout=PAGE_TIMEOUT,
    )


_BRIEF = ("id", "kind", "title", "hub", "author", "topics", "published_at", "created_at")


def _entry_brief(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in _BRIEF}


def _topic_page(actor: Actor, slug: str) -> dict[str, Any]:
    topic = topic_selectors.topic_get(slug=slug)
    topic_ids = topic_selectors.topic_with_descendants(slug=slug)
    tagged = Entry.topics.through.objects.filter(topic_id__in=topic_ids).values("entry_id")
    entries = entries_visible_to(actor).filter(pk__in=tagged)
    counts = entries.aggregate(entries=Count("pk"), members=Count("hub__owner", distinct=True))
    newest = list(entries.order_by("-created_at", "-id").values_list("pk", flat=True)[:TOPIC_PAGE_ENTRIES])
    rows = hub_selectors.entry_rows(newest)
    topics = hub_selectors.entry_topics(newest)
    problems = (
        problems_visible_to(actor)
        .filter(merged_into__isnull=True, topics__in=topic_ids)
        .distinct()
        .order_by("-hit_count", "-id")
        .values("id", "title", "hit_count")[:TOPIC_PAGE_PROBLEMS]
    )
    return {
        "topic": {
            "slug": topic.slug,
            "name": topic.name,
            "kind": topic.kind,
            "description": topic.description,
            "parent": {"slug": topic.parent.slug, "name": topic.parent.name} if topic.parent else None,
            "aliases": [alias.name for alias in topic.aliases.all()],
            "children": [{"slug": child.slug, "name": child.name} for child in topic.children.all()],
        },
        "entries": counts["entries"],
        "members": counts["members"],
        "newest_entries": [_entry_brief(hub_selectors.entry_data(row, topics[row["id"]])) for row in rows],
        "top_problems": list(problems),
    }


# --- similarity ---------------------------------------------------------------------------------


FIRST_PASS_ROWS = 2_000  # index rows the first pass reads at most (the rarest words' first)


@dataclass(frozen=True)
class TermFrequencies:
    """How many problems and how many texts use each word, as of `key`."""

    key: tuple[int, int]
    problems: dict[str, int]
    texts: dict[str, int]


_frequencies: TermFrequencies | None = None


def term_frequencies(*, total: int) -> TermFrequencies:
    """Every word's document frequencies, kept per process until the index changes.

    `key` is the newest index row and the live problem count: re-indexing a problem writes new
    rows, and merging, splitting or deleting one changes the count, so a snapshot is never
    older than the last write that committed. Rebuilding it is one grouped scan of the index.
    """
    global _frequencies
    newest = ProblemTerm.objects.aggregate(newest=Max("id"))["newest"] or 0
    found = _frequencies
    if found is None or found.key != (newest, total):
        problems: dict[str, int] = {}
        texts: dict[str, int] = {}
        rows = ProblemTerm.objects.values_list("term").annotate(p=Count("problem_id", distinct=True), t=Count("id"))
        for term, n_problems, n_texts in rows:
            problems[term] = n_problems
            texts[term] = n_texts
        found = _frequencies = TermFrequencies((newest, total), problems, texts)
    return found


def problem_suggest(
    *,
    text: str,
    topic_ids: Iterable[int] = (),
    exclude: Iterable[int] = (),
    limit: int = 5,
    min_score: float = 0.0,
) -> list[tuple[Problem, float]]:
    """Live problems most similar to `text` (and topics), best first, with their score in [0, 1].

    Sees every problem (the caller filters by viewer). Two passes, in seven statements whatever
    the size of the base: the problem count and the newest index row (`term_frequencies`), the
    index rows of the query's rarest words -- at most FIRST_PASS_ROWS: a word most texts share
    cannot tell candidates apart and would flood the pass -- to find the CANDIDATES closest
    texts; then those texts' words, their problems' topics, and the problems themselves with
    their topics. Candidates are scored exactly, over all their words, common ones included.
    """
    words = similarity.terms(text)
    if not words:
        return []
    excluded = set(exclude)
    # Document frequency counts problems, not texts: a word every duplicate of one problem
    # uses ("celery") is what tells that problem apart from the others.
    total = Problem.objects.filter(merged_into__isnull=True).count()
    frequencies = term_frequencies(total=total)
    weights = {t: similarity.idf(frequencies.problems.get(t, 0), total) for t in words}
    first_pass: list[str] = []
    budget = FIRST_PASS_ROWS
    for word in sorted(words, key=lambda t: (frequencies.texts.get(t, 0), t)):
        cost = frequencies.texts.get(word, 0)
        if first_pass and cost > budget:
            break
        first_pass.append(word)
        budget -= cost
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for problem_id, entry_id, term in ProblemTerm.objects.filter(term__in=first_pass).values_list(
        "problem_id", "entry_id", "term"
    ):
        if problem_id not in excluded:
            shared[(problem_id, entry_id)] += weights[term] ** 2
    if not shared:
        return []
    best_texts = sorted(shared, key=lambda key: (-shared[key], key))[:CANDIDATES]
    candidates = sorted({problem_id for problem_id, _ in best_texts})
    text_terms: dict[tuple[int, int], set[str]] = {key: set() for key in best_texts}
    for problem_id, entry_id, term in ProblemTerm.objects.filter(
        problem_id__in=candidates, entry_id__in={entry_id for _, entry_id in best_texts}
    ).values_list("problem_id", "entry_id", "term"):
        if (problem_id, entry_id) in text_terms:
            text_terms[(problem_id, entry_id)].add(term)
    vocabulary = set().union(*text_terms.values()) - set(weights)
    weights.update({term: similarity.idf(frequencies.problems.get(term, 0), total) for term in vocabulary})
    # A problem is as close as its closest text: a large problem is not diluted by its many texts.
    best: dict[int, float] = defaultdict(float)
    for (problem_id, _), found in text_terms.items():
        best[problem_id] = max(best[problem_id], similarity.cosine(words, found, weights))
    problem_topics: dict[int, set[int]] = defaultdict(set)
    through = Problem.topics.through.objects.filter(problem_id__in=candidates).values_list("problem_id", "topic_id")
    for problem_id, topic_id in through:
        problem_topics[problem_id].add(topic_id)
    wanted = set(topic_ids)
    scored = []
    for pk in candidates:
        overlap = similarity.jaccard(wanted, problem_topics[pk]) if wanted and problem_topics[pk] else None
        value = similarity.score(best[pk], overlap)
        if value > min_score:
            scored.append((pk, value))
    scored.sort(key=lambda item: (-item[1], item[0]))
    scored = scored[:limit]
    problems = Problem.objects.prefetch_related(_TOPICS).in_bulk([pk for pk, _ in scored])
    return [(problems[pk], value) for pk, value in scored if pk in problems]


def problem_similar(
    *, actor: Actor, text: str, topic_ids: Iterable[int] = (), exclude: Iterable[int] = (), limit: int = 5
) -> list[tuple[Problem, float]]:
    """`problem_suggest`, keeping only problems the actor may read."""
    found = problem_suggest(text=text, topic_ids=topic_ids, exclude=exclude, limit=limit * 4)
    readable = set(problems_visible_to(actor).filter(pk__in=[p.pk for p, _ in found]).values_list("pk", flat=True))
    return [(problem, value) for problem, value in found if problem.pk in readable][:limit]


def problem_merge_targets(*, actor: Actor, problem: Problem, q: str | None = None, limit: int = 10) -> list[Problem]:
    """Live problems the actor may read that `problem` could be merged into, other than itself: those
    whose title or description holds `q`, most hit first, or without `q` those most similar to it."""
    if q:
        found = problem_list(actor=actor, q=q).exclude(pk=problem.pk).order_by("-hit_count", "-id")
        return list(found[:limit])
    text = f"{problem.title}\n{problem.description}"
    return [p for p, _ in problem_similar(actor=actor, text=text, exclude=[problem.pk], limit=limit)]


def entry_text(entry: Entry) -> str:
    """The text of a challenge that similarity compares: its title and its problem."""
    return f"{entry.title}\n{entry.problem}"


@dataclass(frozen=True)
class SolutionSignals:
    """What a page shows beside a challenge's solution: confirmations, verification, the viewer's own."""

    confirmations: int = 0
    verified: bool = False
    confirmed_by_me: bool = False


def solution_signals(*, actor: Actor, entry_ids: Iterable[int]) -> dict[int, SolutionSignals]:
    """The signals of each of the given challenges (ids the caller already scoped to the actor), in one query."""
    ids = list(entry_ids)
    if not ids:
        return {}
    mine = (
        Exists(SolutionConfirmation.objects.filter(entry_id=OuterRef("pk"), user_id=actor.pk))
        if actor.is_authenticated
        else Value(False, output_field=BooleanField())
    )
    rows = (
        Entry.objects.filter(pk__in=ids)
        .annotate(
            n=Count("confirmations", distinct=True),
            verified=Exists(SolutionVerification.objects.filter(entry_id=OuterRef("pk"))),
            mine=mine,
        )
        .values_list("pk", "n", "verified", "mine")
    )
    return {pk: SolutionSignals(n, bool(verified), bool(own)) for pk, n, verified, own in rows}


def topic_entry_counts(*, actor: Actor) -> dict[int, int]:
    """How many entries the actor may read are tagged with each topic (topic id -> count), in one query."""
    rows = (
        Entry.topics.through.objects.filter(entry__in=entries_visible_to(actor).values("pk"))
        .values("topic_id")
        .annotate(n=Count("entry_id"))
    )
    return {row["topic_id"]: row["n"] for row in rows}
