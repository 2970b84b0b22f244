"""Reads for cohort insights: curriculum coverage (members × topics), common open problems, activity.

Every read counts only what the viewer may read themselves (`hubs.access.entries_visible_to`,
`knowledge.access`, `discussions.access`): a learner's private hub never shows up, not even as
a number. The caller has checked the cohort with `access.access_cohort_insights`. Each read is
a fixed number of queries, whatever the size of the cohort.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership
from nexus.discussions.access import channels_visible_to
from nexus.discussions.models import Message
from nexus.hubs.access import Actor, entries_visible_to
from nexus.hubs.models import Entry
from nexus.insights.curriculum import curriculum_slugs
from nexus.knowledge.access import problems_visible_to, solutions_visible_to
from nexus.knowledge.models import Problem, ProblemConfirmation, ProblemLink, SolutionVerification
from nexus.topics.models import Topic

# Entries on a topic at which a cell reaches each level of the heatmap (0 is "not covered").
HEAT_LEVELS = (1, 2, 3, 5)


@dataclass(frozen=True)
class CoverageRow:
    member: User
    counts: list[int]  # published entries per curriculum topic, in the order of `Coverage.topics`
    levels: list[int]  # 0-4, for the heatmap's colour

    @property
    def covered(self) -> int:
        return sum(1 for n in self.counts if n)

    @property
    def cells(self) -> list[tuple[int, int]]:
        return list(zip(self.counts, self.levels, strict=True))


@dataclass(frozen=True)
class Coverage:
    topics: list[Topic]
    rows: list[CoverageRow]
    members_per_topic: list[int]

    @property
    def gaps(self) -> list[Topic]:
        """Curriculum topics no learner has written about yet."""
        return [topic for topic, n in zip(self.topics, self.members_per_topic, strict=True) if n == 0]


def heat_level(count: int) -> int:
    return sum(1 for threshold in HEAT_LEVELS if count >= threshold)


def _learners(cohort: Cohort) -> list[User]:
    rows = (
        Membership.objects.filter(cohort=cohort, role=Membership.Role.LEARNER, user__is_active=True)
        .select_related("user__profile")
        .order_by("user__username")
    )
    return [m.user for m in rows]


def _curriculum(cohort: Cohort) -> tuple[list[Topic], dict[int, list[int]]]:
    """The cohort's curriculum topics, and for every topic the curriculum topics it counts for.

    A topic counts for itself and each ancestor in the curriculum: an entry on the Django ORM
    covers Django too.
    """
    everything = list(Topic.objects.only("id", "slug", "name", "parent_id"))
    by_slug = {topic.slug: topic for topic in everything}
    columns = [by_slug[slug] for slug in curriculum_slugs(cohort.program.track) if slug in by_slug]
    column_ids = {topic.pk for topic in columns}
    parents = {topic.pk: topic.parent_id for topic in everything}
    counts_for: dict[int, list[int]] = {}
    for topic in everything:
        seen: set[int] = set()
        current: int | None = topic.pk
        while current is not None and current not in seen:  # a cycle made in the admin stops here
            seen.add(current)
            current = parents.get(current)
        hits = [pk for pk in seen if pk in column_ids]
        if hits:
            counts_for[topic.pk] = hits
    return columns, counts_for


def cohort_coverage(*, actor: Actor, cohort: Cohort) -> Coverage:
    """Which learners wrote published entries on which curriculum topics, in their hub for the cohort's program.

    Three queries: the learners, the taxonomy, the (learner, entry, topic) triples.
    """
    learners = _learners(cohort)
    topics, counts_for = _curriculum(cohort)
    entries: dict[tuple[int, int], set[int]] = defaultdict(set)
    triples = (
        entries_visible_to(actor)
        .filter(
            status=Entry.Status.PUBLISHED,
            hub__program_id=cohort.program_id,
            hub__owner_id__in=[member.pk for member in learners],
            topics__isnull=False,
        )
        .values_list("hub__owner_id", "id", "topics")
    )
    for owner_id, entry_id, topic_id in triples:
        for column in counts_for.get(topic_id, ()):
            entries[(owner_id, column)].add(entry_id)
    rows = []
    for member in learners:
        counts = [len(entries.get((member.pk, topic.pk), ())) for topic in topics]
        rows.append(CoverageRow(member=member, counts=counts, levels=[heat_level(n) for n in counts]))
    members_per_topic = [sum(1 for row in rows if row.counts[i]) for i in range(len(topics))]
    return Coverage(topics=topics, rows=rows, members_per_topic=members_per_topic)


@dataclass(frozen=True)
class OpenProblem:
    problem: Problem
    members: int  # members of the cohort who hit it (wrote the challenge or said "I hit this too")


def _member_ids(cohort: Cohort) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(cohort=cohort).values("user_id")


def cohort_open_problems(*, actor: Actor, cohort: Cohort, limit: int = 10) -> list[OpenProblem]:
    """The problems most members of the cohort hit that have no verified solution yet, most hit first.

    Five queries: who wrote challenges, who confirmed, which are verified, the problems, their topics.
    """
    members = _member_ids(cohort)
    hitters: dict[int, set[int]] = defaultdict(set)
    written = ProblemLink.objects.filter(
        entry__in=solutions_visible_to(actor).filter(hub__owner_id__in=members).values("pk"),
        problem__merged_into__isnull=True,
    ).values_list("problem_id", "entry__hub__owner_id")
    for problem_id, user_id in written:
        hitters[problem_id].add(user_id)
    confirmed = ProblemConfirmation.objects.filter(
        user_id__in=members,
        problem__in=problems_visible_to(actor).filter(merged_into__isnull=True).values("pk"),
    ).values_list("problem_id", "user_id")
    for problem_id, user_id in confirmed:
        hitters[problem_id].add(user_id)
    if not hitters:
        return []
    verified = set(
        SolutionVerification.objects.filter(entry__problem_link__problem_id__in=list(hitters)).values_list(
            "entry__problem_link__problem_id", flat=True
        )
    )
    ranked = sorted(
        ((len(users), -problem_id) for problem_id, users in hitters.items() if problem_id not in verified),
        reverse=True,
    )[:limit]
    if not ranked:
        return []
    by_id = Problem.objects.prefetch_related("topics").in_bulk([-negative_id for _, negative_id in ranked])
    return [OpenProblem(problem=by_id[-negative_id], members=count) for count, negative_id in ranked]


@dataclass(frozen=True)
class Week:
    start: date
    entries: int  # entries published by members of the cohort
    messages: int  # messages posted in the cohort's channels the viewer reads


def _week_start(moment: datetime) -> date:
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return day - timedelta(days=day.weekday())


def _by_week(rows: Iterable[Mapping[str, Any]]) -> dict[date, int]:
    counts: dict[date, int] = {}
    for row in rows:
        week = row["week"]
        if isinstance(week, datetime):
            week = week.date()
        counts[week] = counts.get(week, 0) + int(row["n"])
    return counts


def cohort_activity(*, actor: Actor, cohort: Cohort, weeks: int = 12, now: datetime | None = None) -> list[Week]:
    """Entries published and messages posted per week (Monday first), the last `weeks` weeks, oldest first.

    Two queries.
    """
    first = _week_start(now or timezone.now()) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    members = _member_ids(cohort)
    entries = _by_week(
        entries_visible_to(actor)
        .filter(
            status=Entry.Status.PUBLISHED,
            published_at__gte=since,
            hub__owner_id__in=members,
            hub__program_id=cohort.program_id,
        )
        .annotate(week=TruncWeek("published_at"))
        .order_by()
        .values("week")
        .annotate(n=Count("id"))
    )
    messages = _by_week(
        Message.objects.filter(
            channel__in=channels_visible_to(actor).filter(cohort=cohort).values("pk"),
            created_at__gte=since,
            deleted_at__isnull=True,
        )
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values("week")
        .annotate(n=Count("id"))
    )
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    return [Week(start=s, entries=entries.get(s, 0), messages=messages.get(s, 0)) for s in starts]
