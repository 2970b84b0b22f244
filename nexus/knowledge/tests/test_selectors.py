"""Visibility of problems and solutions, and the number of statements reads cost."""

import pytest
from django.contrib.auth.models import AnonymousUser

from nexus.accounts.tests.factories import UserFactory
from nexus.hubs.models import Hub
from nexus.knowledge import selectors

pytestmark = pytest.mark.django_db

CELERY = "Celery tasks stuck behind RabbitMQ"
CELERY_PROBLEM = "Celery tasks never left the RabbitMQ queue; the worker sat idle with no consumer."


def test_solutions_only_include_entries_the_viewer_may_read(challenge, cohort):
    public = challenge(CELERY, CELERY_PROBLEM)
    in_cohort = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.COHORT)
    private = challenge(CELERY, CELERY_PROBLEM, visibility=Hub.Visibility.PRIVATE)
    problem = public.problem_link.problem
    classmate = in_cohort.hub.owner

    def ids(actor):
        return {s.entry.pk for s in selectors.problem_solutions(actor=actor, problem=problem)}

    assert ids(AnonymousUser()) == {public.pk}
    assert ids(classmate) == {public.pk, in_cohort.pk}
    assert ids(private.hub.owner) == {public.pk, in_cohort.pk, private.pk}
    assert ids(UserFactory(is_staff=True)) == {public.pk, in_cohort.pk}


def test_problem_list_costs_two_statements(challenge, django_assert_num_queries):
    for n in range(5):
        challenge(f"Problem number {n} with word{n}", f"Unrelated text{n} about thing{n}.")
    with django_assert_num_queries(2):  # problems with their readable-link check, their topics
        problems = list(selectors.problem_list(actor=AnonymousUser()))
    assert len(problems) == 5


def test_problem_solutions_cost_three_statements(challenge, django_assert_num_queries):
    for _ in range(4):
        entry = challenge(CELERY, CELERY_PROBLEM)
    problem = entry.problem_link.problem
    actor = UserFactory()
    with django_assert_num_queries(3):  # entries (hub, author, verification), topics, confirmations
        ranked = selectors.problem_solutions(actor=actor, problem=problem)
    assert len(ranked) == 4


def test_suggest_costs_seven_statements_whatever_the_size(challenge, django_assert_num_queries):
    for n in range(6):
        challenge(f"{CELERY} {n}", CELERY_PROBLEM)
        challenge(f"CORS errors {n}", "The browser blocked calls: no CORS headers.")
    with django_assert_num_queries(7):
        found = selectors.problem_suggest(text="celery worker idle rabbitmq", limit=3)
    assert found and found[0][0].title.startswith(CELERY)
