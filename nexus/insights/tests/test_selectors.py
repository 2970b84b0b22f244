from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.discussions import services as discussion_services
from nexus.discussions.models import Message
from nexus.hubs.models import Entry, Hub
from nexus.hubs.tests.factories import ChallengeFactory, EntryFactory
from nexus.insights import selectors
from nexus.knowledge.tests.factories import (
    ProblemConfirmationFactory,
    ProblemFactory,
    ProblemLinkFactory,
    SolutionVerificationFactory,
)


def _entry(hub, *topics, **fields):
    entry = EntryFactory(hub=hub, **fields)
    entry.topics.set(topics)
    return entry


# --- Coverage ---------------------------------------------------------------------------------


def test_coverage_counts_published_entries_per_learner_and_curriculum_topic(
    cohort, topics, ada, grace, mentor, hub_of, django_assert_num_queries
):
    # given: ada wrote two Django entries (one on the ORM, which is under Django) and one on Celery
    ada_hub = hub_of(ada)
    _entry(ada_hub, topics["django"])
    _entry(ada_hub, topics["orm"], topics["django"])  # counted once for Django
    _entry(ada_hub, topics["celery"], topics["kotlin"])
    _entry(ada_hub, topics["docker"], status=Entry.Status.DRAFT, published_at=None)  # a draft: not counted
    _entry(hub_of(grace), topics["orm"])

    # when
    with django_assert_num_queries(3):
        coverage = selectors.cohort_coverage(actor=mentor, cohort=cohort)

    # then: columns follow the backend curriculum order; Kotlin is not in it
    assert [t.slug for t in coverage.topics] == ["django", "orm", "celery", "docker"]
    assert [(row.member.username, row.counts) for row in coverage.rows] == [
        ("ada", [2, 1, 1, 0]),
        ("grace", [1, 1, 0, 0]),
    ]
    assert [row.covered for row in coverage.rows] == [3, 2]
    assert coverage.members_per_topic == [2, 2, 1, 0]
    assert [t.slug for t in coverage.gaps] == ["docker"]
    assert coverage.rows[0].levels == [2, 1, 1, 0]


def test_coverage_leaves_out_what_the_mentor_cannot_read(cohort, topics, ada, mentor, hub_of, program):
    # given: ada's hub is private; her entries exist but the mentor may not read them
    _entry(hub_of(ada, visibility=Hub.Visibility.PRIVATE), topics["django"])

    coverage = selectors.cohort_coverage(actor=mentor, cohort=cohort)

    assert [(row.member.username, row.counts) for row in coverage.rows] == [("ada", [0, 0, 0, 0])]


def test_coverage_rows_are_the_cohorts_active_learners(cohort, topics, ada, mentor, outsider, hub_of):
    MembershipFactory(cohort=cohort, user=UserFactory(username="gone", is_active=False))
    _entry(hub_of(outsider), topics["django"])  # another cohort's learner, same program

    coverage = selectors.cohort_coverage(actor=mentor, cohort=cohort)

    assert [row.member.username for row in coverage.rows] == ["ada"]


def test_coverage_query_count_does_not_grow_with_the_cohort(cohort, topics, mentor, hub_of, django_assert_num_queries):
    for i in range(6):
        learner = MembershipFactory(cohort=cohort, user=UserFactory(username=f"learner{i}")).user
        _entry(hub_of(learner), topics["django"], topics["celery"])

    with django_assert_num_queries(3):
        coverage = selectors.cohort_coverage(actor=mentor, cohort=cohort)

    assert coverage.members_per_topic == [6, 0, 6, 0]


@pytest.mark.parametrize(("count", "level"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (40, 4)])
def test_heat_levels(count, level):
    assert selectors.heat_level(count) == level


# --- Open problems ---------------------------------------------------------------------------


def test_open_problems_rank_by_cohort_members_who_hit_them(
    cohort, ada, grace, mentor, outsider, hub_of, django_assert_num_queries
):
    # given
    celery, cors, verified = (ProblemFactory(title=t) for t in ("Celery hangs", "CORS", "Solved"))
    ProblemLinkFactory(problem=celery, entry=ChallengeFactory(hub=hub_of(ada)))
    ProblemConfirmationFactory(problem=celery, user=grace)
    ProblemConfirmationFactory(problem=celery, user=outsider)  # another cohort: not counted
    ProblemLinkFactory(problem=cors, entry=ChallengeFactory(hub=hub_of(grace)))
    solved = ChallengeFactory(hub=hub_of(UserFactory()), solution="Use a queue.")
    ProblemLinkFactory(problem=verified, entry=solved)
    ProblemConfirmationFactory(problem=verified, user=ada)
    SolutionVerificationFactory(entry=solved, verified_by=mentor)

    # when
    with django_assert_num_queries(5):
        problems = selectors.cohort_open_problems(actor=mentor, cohort=cohort)
        titles = [(p.problem.title, p.members, [t.slug for t in p.problem.topics.all()]) for p in problems]

    # then: the verified problem is not open; Celery has two members of the cohort
    assert titles == [("Celery hangs", 2, []), ("CORS", 1, [])]


def test_open_problems_skip_challenges_the_mentor_cannot_read(cohort, ada, mentor, hub_of):
    ProblemLinkFactory(problem=ProblemFactory(), entry=ChallengeFactory(hub=hub_of(ada, visibility="private")))

    assert selectors.cohort_open_problems(actor=mentor, cohort=cohort) == []


def test_no_problems_is_one_query_per_source(cohort, mentor, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert selectors.cohort_open_problems(actor=mentor, cohort=cohort) == []


# --- Activity --------------------------------------------------------------------------------


def test_activity_counts_entries_and_messages_per_week(
    cohort, ada, grace, mentor, outsider, hub_of, django_assert_num_queries
):
    # given: "now" is Wednesday 2026-11-18; the week starts on Monday 16
    now = timezone.make_aware(datetime(2026, 11, 18, 12, 0))
    hub = hub_of(ada)
    EntryFactory(hub=hub, published_at=now - timedelta(days=1))
    EntryFactory(hub=hub, published_at=now - timedelta(days=8))
    EntryFactory(hub=hub, published_at=now - timedelta(days=9))
    EntryFactory(hub=hub, published_at=now - timedelta(weeks=20))  # before the window
    EntryFactory(hub=hub_of(outsider), published_at=now)  # not a member
    channel = discussion_services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    discussion_services.thread_create(actor=ada, channel_id=channel.pk, title="Hi", body="First")
    Message.objects.update(created_at=now - timedelta(days=2))

    # when
    with django_assert_num_queries(2):
        weeks = selectors.cohort_activity(actor=mentor, cohort=cohort, weeks=3, now=now)

    # then
    assert [(str(w.start), w.entries, w.messages) for w in weeks] == [
        ("2026-11-02", 0, 0),
        ("2026-11-09", 2, 0),
        ("2026-11-16", 1, 1),
    ]


def test_activity_leaves_out_channels_the_mentor_cannot_read(cohort, ada, grace, mentor):
    private = discussion_services.channel_create(
        actor=ada, cohort=cohort.slug, name="Study group", visibility="private", members=["grace"]
    )
    discussion_services.thread_create(actor=ada, channel_id=private.pk, title="Hi", body="Secret")

    weeks = selectors.cohort_activity(actor=mentor, cohort=cohort, weeks=2)

    assert sum(w.messages for w in weeks) == 0
    assert Message.objects.filter(channel=private).count() == 1  # the message exists; it is just not theirs to count
