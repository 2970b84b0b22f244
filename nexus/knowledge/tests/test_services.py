"""Linking challenges to problems, curation, confirmations and verification."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs.models import Entry, Hub
from nexus.knowledge import services
from nexus.knowledge.models import (
    Problem,
    ProblemConfirmation,
    ProblemLink,
    SolutionConfirmation,
    SolutionVerification,
)

pytestmark = pytest.mark.django_db(transaction=False)

CELERY = "Celery tasks stuck behind RabbitMQ"
CELERY_PROBLEM = "Celery tasks never left the RabbitMQ queue; the worker sat idle with no consumer."


def test_duplicates_from_several_members_are_grouped_under_one_problem(challenge):
    # given three members writing the same challenge in their own words, and one different one
    first = challenge(CELERY, CELERY_PROBLEM)
    second = challenge(
        "Celery worker idle, tasks stuck in RabbitMQ",
        "Tasks queued in RabbitMQ but the Celery worker never consumed them.",
    )
    third = challenge("RabbitMQ queue grows, Celery tasks stuck", "Celery tasks stayed in the RabbitMQ queue.")
    other = challenge(
        "CORS errors from the React frontend", "The browser blocked calls to the API: missing CORS headers."
    )

    # then
    problem = first.problem_link.problem
    assert {e.problem_link.problem_id for e in (first, second, third)} == {problem.pk}
    assert other.problem_link.problem_id != problem.pk
    assert Problem.objects.count() == 2
    problem.refresh_from_db()
    assert problem.hit_count == 3
    assert problem.title == CELERY  # the oldest public challenge names an uncurated problem
    assert second.problem_link.attached_by == "auto" and second.problem_link.confidence >= 0.5


def test_below_threshold_a_challenge_gets_a_problem_of_its_own(challenge, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    first = challenge(CELERY, CELERY_PROBLEM)
    second = challenge("Celery worker idle", "Tasks queued in RabbitMQ were never consumed.")
    assert first.problem_link.problem_id != second.problem_link.problem_id
    assert second.problem_link.confidence == 1.0


def test_link_is_idempotent_and_unlinks_what_is_no_longer_a_published_challenge(challenge):
    entry = challenge(CELERY, CELERY_PROBLEM)
    link = ProblemLink.objects.get(entry=entry)
    assert services.challenge_link(entry_id=entry.pk) == link
    assert ProblemLink.objects.count() == 1 and Problem.objects.count() == 1

    Entry.objects.filter(pk=entry.pk).update(status=Entry.Status.DRAFT, published_at=None)
    assert services.challenge_link(entry_id=entry.pk) is None
    assert not ProblemLink.objects.exists()
    assert not Problem.objects.exists()  # the problem made for it had nothing else


def test_a_lonely_challenge_moves_when_a_matching_problem_exists(challenge, settings):
    # given two duplicates that did not match at first
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    first = challenge(CELERY, CELERY_PROBLEM)
    second = challenge(CELERY, "Celery tasks never left the RabbitMQ queue.")
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.5
    # when the second is linked again (an update)
    link = services.challenge_link(entry_id=second.pk)
    # then it joined the first and its own empty problem is gone
    assert link.problem_id == first.problem_link.problem_id
    assert Problem.objects.count() == 1


def test_deleting_a_challenge_recounts_its_problem(challenge, django_capture_on_commit_callbacks):
    first = challenge(CELERY, CELERY_PROBLEM)
    second = challenge("Celery worker idle, tasks stuck in RabbitMQ", "Celery tasks stayed in the RabbitMQ queue.")
    problem = first.problem_link.problem
    with django_capture_on_commit_callbacks(execute=True):
        Entry.objects.filter(pk=second.pk).delete()
    problem.refresh_from_db()
    assert problem.hit_count == 1


def test_problem_confirmation_is_idempotent_undoable_and_counts_distinct_members(challenge):
    entry = challenge(CELERY, CELERY_PROBLEM)
    problem = entry.problem_link.problem
    member = UserFactory()
    services.problem_confirm(actor=member, problem_id=problem.pk)
    assert services.problem_confirm(actor=member, problem_id=problem.pk).hit_count == 2
    assert ProblemConfirmation.objects.count() == 1
    # the author saying "me too" is still one member
    assert services.problem_confirm(actor=entry.hub.owner, problem_id=problem.pk).hit_count == 2
    assert services.problem_unconfirm(actor=member, problem_id=problem.pk).hit_count == 1
    assert services.problem_unconfirm(actor=member, problem_id=problem.pk).hit_count == 1


def test_solution_confirmation_is_idempotent_undoable_and_never_on_your_own(challenge):
    entry = challenge(CELERY, CELERY_PROBLEM)
    member = UserFactory()
    first = services.solution_confirm(actor=member, entry_id=entry.pk)
    assert services.solution_confirm(actor=member, entry_id=entry.pk) == first
    assert SolutionConfirmation.objects.count() == 1
    services.solution_unconfirm(actor=member, entry_id=entry.pk)
    services.solution_unconfirm(actor=member, entry_id=entry.pk)
    assert not SolutionConfirmation.objects.exists()
    with pytest.raises(PermissionDenied, match="your own solution"):
        services.solution_confirm(actor=entry.hub.owner, entry_id=entry.pk)
    assert not SolutionConfirmation.objects.exists()


def test_a_private_challenge_cannot_be_confirmed_by_others(challenge):
    entry = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.PRIVATE)
    with pytest.raises(Http404):
        services.solution_confirm(actor=UserFactory(), entry_id=entry.pk)
    assert not SolutionConfirmation.objects.exists()


def test_verification_by_the_cohorts_mentor_or_staff_only(challenge, mentor):
    entry = challenge(CELERY, CELERY_PROBLEM)
    other_mentor = MembershipFactory(role=Membership.Role.MENTOR).user
    with pytest.raises(PermissionDenied, match="mentors and staff of the hub's cohort"):
        services.solution_verify(actor=other_mentor, entry_id=entry.pk)
    with pytest.raises(PermissionDenied):
        services.solution_verify(actor=entry.hub.owner, entry_id=entry.pk)
    assert not SolutionVerification.objects.exists()

    first = services.solution_verify(actor=mentor, entry_id=entry.pk)
    staff = UserFactory(is_staff=True)
    assert services.solution_verify(actor=staff, entry_id=entry.pk) == first
    assert SolutionVerification.objects.get().verified_by == mentor
    services.solution_unverify(actor=staff, entry_id=entry.pk)
    services.solution_unverify(actor=staff, entry_id=entry.pk)
    assert not SolutionVerification.objects.exists()


def test_merge_moves_links_dedupes_confirmations_and_keeps_history(challenge, mentor, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    a = challenge(CELERY, CELERY_PROBLEM)
    b = challenge("Worker idle", "Nothing consumed the queue.")
    source, target = b.problem_link.problem, a.problem_link.problem
    both, only_source = UserFactory(), UserFactory()
    for user in (both, only_source):
        services.problem_confirm(actor=user, problem_id=source.pk)
    services.problem_confirm(actor=both, problem_id=target.pk)

    merged = services.problem_merge(actor=mentor, source_id=source.pk, target_id=target.pk)

    assert merged.pk == target.pk
    assert set(ProblemLink.objects.values_list("problem_id", flat=True)) == {target.pk}
    assert ProblemLink.objects.get(entry=b).attached_by == "mentor"
    assert sorted(ProblemConfirmation.objects.values_list("problem_id", "user_id")) == sorted(
        [(target.pk, both.pk), (target.pk, only_source.pk)]
    )
    assert merged.hit_count == 4
    source.refresh_from_db()
    assert source.merged_into_id == target.pk and source.hit_count == 0
    # "hit this too" on the old problem lands on the new one
    assert services.problem_confirm(actor=UserFactory(), problem_id=source.pk).pk == target.pk


def test_merge_split_rename_need_a_mentor_or_staff(challenge):
    a = challenge(CELERY, CELERY_PROBLEM)
    learner = a.hub.owner
    problem = a.problem_link.problem
    with pytest.raises(PermissionDenied, match="Only mentors and staff"):
        services.problem_rename(actor=learner, problem_id=problem.pk, title="Renamed")
    with pytest.raises(PermissionDenied):
        services.problem_split(actor=learner, problem_id=problem.pk, entry_ids=[a.pk], title="x")
    problem.refresh_from_db()
    assert problem.title == CELERY and not problem.curated


def test_curating_a_problem_one_cannot_see_is_a_404_before_the_role_is_asked(challenge):
    # given a cohort-only challenge, a learner and a mentor of another cohort
    a = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.COHORT)
    problem = a.problem_link.problem
    other = CohortFactory()
    learner = MembershipFactory(cohort=other).user
    mentor = MembershipFactory(cohort=other, role=Membership.Role.MENTOR).user
    for actor in (learner, mentor):
        # when / then: neither may see it, so neither learns more than "no such problem"
        with pytest.raises(Http404):
            services.problem_rename(actor=actor, problem_id=problem.pk, title="Renamed")
        with pytest.raises(Http404):
            services.problem_split(actor=actor, problem_id=problem.pk, entry_ids=[a.pk], title="x")
        with pytest.raises(Http404):
            services.problem_merge(actor=actor, source_id=problem.pk, target_id=problem.pk)
    problem.refresh_from_db()
    assert problem.title == CELERY and not problem.curated


def test_split_moves_chosen_challenges_to_a_new_named_problem(challenge, mentor):
    a = challenge(CELERY, CELERY_PROBLEM)
    b = challenge(CELERY, CELERY_PROBLEM + " Also the result backend timed out.")
    problem = a.problem_link.problem
    assert b.problem_link.problem_id == problem.pk
    with pytest.raises(ValidationError, match="Leave at least one"):
        services.problem_split(actor=mentor, problem_id=problem.pk, entry_ids=[a.pk, b.pk], title="x")

    new = services.problem_split(actor=mentor, problem_id=problem.pk, entry_ids=[b.pk], title="Result backend timeouts")

    assert (new.title, new.curated, new.hit_count) == ("Result backend timeouts", True, 1)
    assert ProblemLink.objects.get(entry=b).problem_id == new.pk
    # a mentor's decision is not undone by relinking
    services.challenge_link(entry_id=b.pk)
    assert ProblemLink.objects.get(entry=b).problem_id == new.pk


def test_rename_keeps_the_title_when_challenges_change(challenge, mentor):
    a = challenge(CELERY, CELERY_PROBLEM)
    problem = services.problem_rename(
        actor=mentor, problem_id=a.problem_link.problem_id, title="Celery tasks not consumed", description="Why."
    )
    challenge(CELERY, CELERY_PROBLEM)
    problem.refresh_from_db()
    assert (problem.title, problem.description, problem.curated, problem.hit_count) == (
        "Celery tasks not consumed", "Why.", True, 2
    )  # fmt: skip


def test_author_attaches_their_challenge_to_a_suggested_problem(challenge, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99
    a = challenge(CELERY, CELERY_PROBLEM)
    b = challenge("Worker idle", "Nothing consumed the queue.")
    with pytest.raises(PermissionDenied):
        services.challenge_attach(actor=a.hub.owner, entry_id=b.pk, problem_id=a.problem_link.problem_id)
    link = services.challenge_attach(actor=b.hub.owner, entry_id=b.pk, problem_id=a.problem_link.problem_id)
    assert (link.problem_id, link.attached_by) == (a.problem_link.problem_id, "member")
    assert Problem.objects.count() == 1


def test_relink_links_every_published_challenge_once(challenge):
    challenge(CELERY, CELERY_PROBLEM, link=False)
    challenge(CELERY, CELERY_PROBLEM, link=False)
    challenge("CORS errors", "Browser blocked the API.", link=False)
    challenge("Draft", "Not yet.", link=False, status=Entry.Status.DRAFT, published_at=None)
    assert services.challenges_relink() == 3
    assert services.challenges_relink() == 0
    assert ProblemLink.objects.count() == 3 and Problem.objects.count() == 2


def test_challenges_written_or_imported_through_hubs_are_grouped_after_commit(
    taxonomy, django_capture_on_commit_callbacks
):
    from nexus.cohorts.tests.factories import MembershipFactory
    from nexus.hubs import services as hub_services
    from nexus.knowledge.models import ProblemLink

    ada, bob = MembershipFactory().user, MembershipFactory().user
    readme = (
        "# Bob\n\n## Challenges\n\n"
        "**Problem:** Celery tasks hanging behind RabbitMQ when the worker starts first.\n"
        "**Solution:** Retry the broker connection.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        hub = hub_services.hub_create(actor=ada, program=ada.memberships.get().cohort.program.slug, title="Ada")
        first = hub_services.entry_create(
            actor=ada,
            hub=hub.pk,
            kind="challenge",
            title="Celery tasks hanging behind RabbitMQ",
            problem="Celery tasks hanging behind RabbitMQ when the worker starts first.",
            solution="Broker retry on startup.",
            status="published",
        )
    with django_capture_on_commit_callbacks(execute=True):
        imported = hub_services.hub_import_readme(actor=bob, markdown=readme)
    [second] = imported.hub.entries.filter(kind="challenge")

    assert ProblemLink.objects.get(entry=first).problem_id == ProblemLink.objects.get(entry=second).problem_id
    with django_capture_on_commit_callbacks(execute=True):
        hub_services.entry_update(actor=ada, entry_id=first.pk, data={"status": "draft"})
    assert not ProblemLink.objects.filter(entry=first).exists()
