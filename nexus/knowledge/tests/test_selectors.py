"""Visibility of problems and solutions, and the number of statements reads cost."""

import pytest
from django.contrib.auth.models import AnonymousUser

from nexus.accounts.tests.factories import UserFactory
from nexus.hubs.models import Hub
from nexus.knowledge import selectors
from nexus.knowledge.models import Problem

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
    with django_assert_num_queries(8):  # the first read also takes the words' frequencies
        selectors.problem_suggest(text="celery worker idle rabbitmq", limit=3)
    with django_assert_num_queries(7):
        found = selectors.problem_suggest(text="celery worker idle rabbitmq", limit=3)
    assert found and found[0][0].title.startswith(CELERY)


def test_word_frequencies_follow_every_write(challenge):
    # given a snapshot of the words' frequencies
    challenge(CELERY, CELERY_PROBLEM)
    total = Problem.objects.filter(merged_into__isnull=True).count()
    before = selectors.term_frequencies(total=total)
    assert before.problems["rabbitmq"] == 1
    assert selectors.term_frequencies(total=total) is before  # kept while nothing changes

    # when another problem with the same word is written
    challenge("RabbitMQ refuses the guest user", "Remote connections as guest are refused by RabbitMQ.")
    total = Problem.objects.filter(merged_into__isnull=True).count()

    # then the next read counts it
    after = selectors.term_frequencies(total=total)
    assert after is not before
    assert after.problems["rabbitmq"] == 2


def test_the_first_pass_reads_the_rarest_words_and_skips_the_flood(challenge, monkeypatch, django_assert_num_queries):
    # given many texts sharing the common words and one problem with a rare word
    for n in range(8):
        challenge(f"Docker build slow {n}", f"The docker build took minutes, case {n}.")
    wanted = challenge("Docker build slow on buildkit", "The docker build ignored the buildkit cache mounts.")
    monkeypatch.setattr(selectors, "FIRST_PASS_ROWS", 3)
    rows = []
    original = selectors.ProblemTerm.objects.filter

    def spy(*args, **kwargs):
        if "term__in" in kwargs:
            rows.append(sorted(kwargs["term__in"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(selectors.ProblemTerm.objects, "filter", spy)

    # when a text with common and rare words is compared
    found = selectors.problem_suggest(text="docker build slow, buildkit cache mounts ignored", limit=1)

    # then the first pass read only words within the budget, and the best match still won
    assert rows == [["buildkit"]]  # two rows (the problem and its challenge); the next word would pass 3
    assert found[0][0] == wanted.problem_link.problem

    # and with every word common, the rarest one still makes a first pass
    rows.clear()
    assert selectors.problem_suggest(text="docker build slow", limit=1)
    assert len(rows) == 1 and len(rows[0]) == 1
