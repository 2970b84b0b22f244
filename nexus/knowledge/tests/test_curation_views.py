"""Curating problems on the pages: rename, merge, split -- for mentors and staff only (docs/web.md).

The world (nexus/core/tests/web.py): ada's public challenge and linus's cohort-only one are one
problem; mira mentors their cohort; grace is a learner of another cohort.
"""

from __future__ import annotations

import re

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.tests.web import htmx
from nexus.hubs.models import Hub
from nexus.hubs.tests.factories import ChallengeFactory, HubFactory
from nexus.knowledge import services
from nexus.knowledge.models import Problem, ProblemLink
from nexus.knowledge.tests.factories import ProblemLinkFactory

CONTROLS = ('id="curate-title"', 'id="rename-form"', 'id="merge-panel"', 'id="split-panel"')


@pytest.fixture
def other(world):
    """A second problem everyone may read: the merge target."""
    return ProblemLinkFactory(
        entry__hub=world.ada_hub,
        entry__title="Docker layers rebuilt",
        problem__title="Docker layers rebuilt every time",
    ).problem


@pytest.fixture
def hidden(world):
    """A problem made of a challenge in linus's cohort-only hub: grace and other cohorts' mentors cannot read it."""
    return ProblemLinkFactory(entry__hub=world.linus_hub, problem__title="Cohort-only problem").problem


@pytest.fixture
def outsider_mentor(world):
    """A mentor of grace's cohort: a curator who cannot read what linus's cohort keeps to itself."""
    return MembershipFactory(cohort=world.grace.memberships.get().cohort, role=Membership.Role.MENTOR).user


def _page(client, problem) -> str:
    response = client.get(f"/knowledge/problems/{problem.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _state(problem) -> tuple:
    fresh = Problem.objects.get(pk=problem.pk)
    links = sorted(ProblemLink.objects.filter(problem=fresh).values_list("entry_id", flat=True))
    return fresh.title, fresh.description, fresh.curated, fresh.merged_into_id, links, Problem.objects.count()


# --- who sees the controls ---------------------------------------------------------------------


def test_only_curators_see_the_controls(world, problem, outsider_mentor):
    for viewer in (None, world.ada, world.linus, world.grace):
        html = _page(world.client(viewer), problem)
        assert [c for c in CONTROLS if c in html] == [], viewer
    staff = UserFactory(is_staff=True)
    for curator in (world.mentor, outsider_mentor, staff):
        html = _page(world.client(curator), problem)
        assert [c for c in CONTROLS if c in html] == list(CONTROLS), curator


def test_curator_page_shows_each_control_labelled_and_the_readable_challenges_to_split(world, problem):
    html = _page(world.client(world.mentor), problem)
    assert '<label for="rename-title">Title' in html and 'value="Celery tasks hanging behind RabbitMQ"' in html
    assert '<label for="merge-q" class="visually-hidden">Find the problem to merge' in html
    assert "<legend>Challenges to move" in html
    assert f'name="entry_ids" value="{world.challenge.pk}"' in html
    assert f'name="entry_ids" value="{world.linus_challenge.pk}"' in html
    assert "Celery tasks hang behind RabbitMQ — by Linus T" in html
    assert f'hx-post="/knowledge/problems/{problem.pk}/rename/"' in html
    assert 'hx-trigger="toggle once from:closest details"' in html  # the merge targets load when opened


def test_problem_page_queries_do_not_grow_with_solutions_or_curation(
    world, problem, django_assert_num_queries, outsider_mentor
):
    # session, user, problem, topics, own hit, solutions (entries, their topics, confirmations),
    # the viewer's mentor and staff memberships (verifying and curating both read them)
    expected = {None: 5, world.ada: 9, world.mentor: 9, outsider_mentor: 9}
    for viewer, count in expected.items():
        client = world.client(viewer)
        with django_assert_num_queries(count):
            client.get(f"/knowledge/problems/{problem.pk}/")
    for n in range(3):  # three more members' public challenges on the same problem
        hub = HubFactory(visibility=Hub.Visibility.PUBLIC)
        ProblemLinkFactory(entry=ChallengeFactory(hub=hub, title=f"Celery again {n}"), problem=problem)
    for viewer, count in expected.items():
        client = world.client(viewer)
        with django_assert_num_queries(count):
            html = client.get(f"/knowledge/problems/{problem.pk}/").content.decode()
        assert "Celery again 2" in html
    assert "Celery again 2 — by" in html  # the curator's split form lists them too


# --- refusals: 302 to sign in, 404 for what one cannot see, 403 for what one may not change -----


def _attempts(problem, target) -> list[tuple[str, str, dict]]:
    base = f"/knowledge/problems/{problem.pk}"
    return [
        ("get", f"{base}/rename/", {}),
        ("post", f"{base}/rename/", {"title": "Hijacked", "description": ""}),
        ("get", f"{base}/merge/", {"q": "docker"}),
        ("get", f"{base}/merge/", {"target": target.pk}),
        ("post", f"{base}/merge/", {"target": target.pk}),
        ("get", f"{base}/split/", {}),
        ("post", f"{base}/split/", {"entry_ids": [1], "title": "Hijacked"}),
    ]


def test_refused_curation_answers_as_the_api_and_changes_nothing(world, problem, other, hidden, outsider_mentor):
    before = [_state(p) for p in (problem, other, hidden)]
    refusals = [
        (None, problem, 302),  # signed out: to the sign-in page
        (world.ada, problem, 403),  # a learner who reads it
        (world.grace, problem, 403),  # a learner of another cohort who reads it (ada's hub is public)
        (world.grace, hidden, 404),  # ... and one she cannot read
        (outsider_mentor, hidden, 404),  # a curator, but not of what she cannot read
    ]
    for viewer, target_problem, status in refusals:
        client = world.client(viewer)
        for method, url, data in _attempts(target_problem, other):
            for headers in ({}, htmx()):
                response = getattr(client, method)(url, data, **headers)
                assert response.status_code == status, (viewer, method, url, response.status_code)
                if status == 302:
                    assert response["Location"].startswith("/accounts/login/")
    # a curator merging into a problem she cannot read
    response = world.client(outsider_mentor).post(f"/knowledge/problems/{problem.pk}/merge/", {"target": hidden.pk})
    assert response.status_code == 404
    assert (
        world.client(outsider_mentor).get(f"/knowledge/problems/{problem.pk}/merge/?target={hidden.pk}").status_code
        == 404
    )
    assert [_state(p) for p in (problem, other, hidden)] == before


def test_a_refused_htmx_post_is_not_swapped_and_says_why(world, problem):
    response = world.client(world.ada).post(f"/knowledge/problems/{problem.pk}/rename/", {"title": "x"}, **htmx())
    assert response.status_code == 403
    assert "Only mentors and staff can merge, split or rename problems." in response.content.decode()


# --- rename ------------------------------------------------------------------------------------


def test_rename_with_htmx_swaps_the_header(world, problem):
    client = world.client(world.mentor)
    response = client.post(
        f"/knowledge/problems/{problem.pk}/rename/",
        {"title": "  Celery workers start before RabbitMQ ", "description": "The worker gives up on the broker."},
        **htmx(),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith("<title>Celery workers start before RabbitMQ · Knowledge base · Nexus</title>")
    assert 'id="problem-header"' in html and 'hx-swap="outerHTML"' in html
    assert '<h1 id="problem-title" tabindex="-1" data-autofocus>Celery workers start before RabbitMQ</h1>' in html
    assert "The worker gives up on the broker." in html
    assert '<details class="curate-rename" id="rename-panel">' in html  # closed again, ready for the next rename
    fresh = Problem.objects.get(pk=problem.pk)
    assert (fresh.title, fresh.description, fresh.curated) == (
        "Celery workers start before RabbitMQ",
        "The worker gives up on the broker.",
        True,
    )


def test_rename_without_javascript_redirects_with_a_message(world, problem):
    client = world.client(world.mentor)
    page = client.get(f"/knowledge/problems/{problem.pk}/rename/")
    assert page.status_code == 200 and "<h1>Rename “Celery tasks hanging behind RabbitMQ”</h1>" in page.content.decode()
    assert "hx-post" not in page.content.decode().split('<main id="main"')[1]  # a plain form on its own page
    response = client.post(
        f"/knowledge/problems/{problem.pk}/rename/", {"title": "Broker not ready", "description": ""}
    )
    assert response.status_code == 302 and response["Location"] == f"/knowledge/problems/{problem.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert (
        "The problem is now called “Broker not ready”." in html
        and '<h1 id="problem-title">Broker not ready</h1>' in html
    )


def test_rename_errors_keep_what_was_typed(world, problem):
    client = world.client(world.mentor)
    url = f"/knowledge/problems/{problem.pk}/rename/"
    typed = {"title": "   ", "description": "Kept description"}
    part = client.post(url, typed, **htmx())
    html = part.content.decode()
    assert part.status_code == 400 and "<html" not in html
    assert '<details class="curate-rename" id="rename-panel" open>' in html
    assert 'id="rename-title_error"' in html and "This field is required." in html
    assert 'aria-invalid="true"' in html and "data-autofocus" in html
    assert "Kept description</textarea>" in html
    full = client.post(url, {"title": "x" * 301, "description": "Kept description"})
    html = full.content.decode()
    assert full.status_code == 400 and "<html" in html
    assert "Ensure this value has at most 300 characters" in html and "Kept description</textarea>" in html
    assert _state(problem)[:3] == ("Celery tasks hanging behind RabbitMQ", problem.description, False)


# --- merge -------------------------------------------------------------------------------------


def test_merge_finds_targets_full_page_or_fragment(world, problem, other):
    client = world.client(world.mentor)
    url = f"/knowledge/problems/{problem.pk}/merge/"
    full = client.get(url, {"q": "docker"})
    html = full.content.decode()
    assert full.status_code == 200 and "<html" in html and 'id="merge-step"' in html
    assert "<h1>Merge “Celery tasks hanging behind RabbitMQ” into another problem</h1>" in html
    assert f'<input type="radio" name="target" value="{other.pk}" required> Docker layers rebuilt every time' in html
    part = client.get(url, {"q": "docker"}, **htmx())
    assert "<html" not in part.content.decode() and 'id="merge-targets-list"' in part.content.decode()
    assert "HX-Request" in part["Vary"]
    # the problem itself is never offered, and nothing matching says so
    assert f'value="{problem.pk}"' not in client.get(url, {"q": "celery"}, **htmx()).content.decode()
    assert "No other problem matches “zzz”." in client.get(url, {"q": "zzz"}, **htmx()).content.decode()


def test_merge_without_words_suggests_the_problems_most_like_this_one(world, problem, other):
    twin = ProblemLinkFactory(
        entry__hub=world.ada_hub,
        entry__title="Celery tasks stuck behind RabbitMQ at startup",
        entry__problem="Celery tasks hang behind RabbitMQ when the worker boots first.",
    ).problem
    services.problems_refresh(problem_ids=[twin.pk])  # named and indexed from its challenge
    html = world.client(world.mentor).get(f"/knowledge/problems/{problem.pk}/merge/", **htmx()).content.decode()
    assert "<legend>Problems most like this one</legend>" in html
    assert f'value="{twin.pk}" required> Celery tasks stuck behind RabbitMQ at startup' in html
    assert f'value="{other.pk}"' not in html and f'value="{problem.pk}"' not in html


def test_merge_confirms_naming_both_then_goes_to_the_target(world, problem, other):
    client = world.client(world.mentor)
    url = f"/knowledge/problems/{problem.pk}/merge/"
    confirm = client.get(url, {"target": other.pk, "q": "docker"}, **htmx()).content.decode()
    assert "<html" not in confirm and 'id="merge-confirm"' in confirm
    assert (
        "Merge “Celery tasks hanging behind RabbitMQ” into “" in confirm
        and "Docker layers rebuilt every time" in confirm
    )
    assert f'<input type="hidden" name="target" value="{other.pk}">' in confirm
    assert f'href="{url}?q=docker"' in confirm  # "Choose another problem" keeps the search
    full = client.get(url, {"target": other.pk})
    assert (
        full.status_code == 200 and "<html" in full.content.decode() and 'id="merge-confirm"' in full.content.decode()
    )

    response = client.post(url, {"target": other.pk})
    assert response.status_code == 302 and response["Location"] == f"/knowledge/problems/{other.pk}/"
    assert Problem.objects.get(pk=problem.pk).merged_into_id == other.pk
    assert set(ProblemLink.objects.filter(problem=other).values_list("entry_id", flat=True)) >= {
        world.challenge.pk,
        world.linus_challenge.pk,
    }
    html = client.get(response["Location"]).content.decode()
    assert "“Celery tasks hanging behind RabbitMQ” is merged into this problem: its challenges are here now." in html
    # the old page leads to the target
    assert client.get(f"/knowledge/problems/{problem.pk}/")["Location"] == f"/knowledge/problems/{other.pk}/"


def test_merge_with_htmx_leads_to_the_target_with_a_full_page_load(world, problem, other):
    response = world.client(world.mentor).post(
        f"/knowledge/problems/{problem.pk}/merge/", {"target": other.pk}, **htmx()
    )
    assert response.status_code == 200 and response["HX-Redirect"] == f"/knowledge/problems/{other.pk}/"
    assert Problem.objects.get(pk=problem.pk).merged_into_id == other.pk


def test_merge_errors_keep_the_choice(world, problem, other):
    client = world.client(world.mentor)
    url = f"/knowledge/problems/{problem.pk}/merge/"
    gone = ProblemLinkFactory(entry__hub=world.ada_hub, problem__merged_into=other).problem
    before = _state(problem)
    itself = client.post(url, {"target": problem.pk, "q": "celery"}, **htmx())
    html = itself.content.decode()
    assert itself.status_code == 400 and "<html" not in html and 'id="merge-confirm"' in html
    assert 'role="alert"' in html and "A problem cannot be merged into itself." in html
    assert f'<input type="hidden" name="target" value="{problem.pk}">' in html
    assert '<input type="hidden" name="q" value="celery">' in html
    # a target that was merged already: the service says so, on the whole page without JS
    full = client.post(url, {"target": gone.pk})
    assert full.status_code == 400 and "<html" in full.content.decode()
    assert "Merge live problems; this one was already merged." in full.content.decode()
    # no target at all: the choice again, with the reason
    empty = client.post(url, {"q": "docker"})
    html = empty.content.decode()
    assert empty.status_code == 400 and "Choose the problem to merge into." in html
    assert f'value="{other.pk}" required data-autofocus' in html
    assert _state(problem) == before


# --- split -------------------------------------------------------------------------------------


def test_split_confirms_naming_what_moves_then_goes_to_the_new_problem(world, problem):
    client = world.client(world.mentor)
    url = f"/knowledge/problems/{problem.pk}/split/"
    choose = client.get(url)
    assert choose.status_code == 200 and "<h1>Split challenges off “Celery tasks hanging behind RabbitMQ”</h1>" in (
        choose.content.decode()
    )
    chosen = {"step": "confirm", "entry_ids": [world.linus_challenge.pk], "title": "Worker starts before broker"}
    confirm = client.get(url, chosen, **htmx())
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "<html" not in html and 'id="split-confirm"' in html
    assert "Move 1 challenge from “Celery tasks hanging behind RabbitMQ” to a new problem, “Worker starts" in html
    assert "<li>Celery tasks hang behind RabbitMQ — by Linus T</li>" in html
    assert f'<input type="hidden" name="entry_ids" value="{world.linus_challenge.pk}">' in html
    back = f"{url}?entry_ids={world.linus_challenge.pk}&amp;title=Worker+starts+before+broker"
    assert f'href="{back}"' in html
    # "Back" brings the choice back as it was
    again = client.get(url, {"entry_ids": [world.linus_challenge.pk], "title": "Worker starts before broker"}, **htmx())
    html = again.content.decode()
    assert 'id="split-form"' in html and 'value="Worker starts before broker"' in html
    assert re.search(rf'value="{world.linus_challenge.pk}" id="split-entry_ids_\d" checked>', html)
    assert re.search(rf'value="{world.challenge.pk}" id="split-entry_ids_\d">', html)

    response = client.post(url, {"entry_ids": [world.linus_challenge.pk], "title": "Worker starts before broker"})
    new = Problem.objects.get(title="Worker starts before broker")
    assert response.status_code == 302 and response["Location"] == f"/knowledge/problems/{new.pk}/"
    assert ProblemLink.objects.get(entry=world.linus_challenge).problem_id == new.pk
    assert ProblemLink.objects.get(entry=world.challenge).problem_id == problem.pk
    html = client.get(response["Location"]).content.decode()
    assert "“Worker starts before broker” is a problem of its own now, split from “Celery tasks" in html


def test_split_with_htmx_leads_to_the_new_problem(world, problem):
    response = world.client(world.mentor).post(
        f"/knowledge/problems/{problem.pk}/split/",
        {"entry_ids": [world.challenge.pk], "title": "Ada's variant"},
        **htmx(),
    )
    new = Problem.objects.get(title="Ada's variant")
    assert response.status_code == 200 and response["HX-Redirect"] == f"/knowledge/problems/{new.pk}/"


def test_split_errors_keep_the_choice_and_the_title(world, problem):
    client = world.client(world.mentor)
    url = f"/knowledge/problems/{problem.pk}/split/"
    before = _state(problem)
    everything = {"entry_ids": [world.challenge.pk, world.linus_challenge.pk], "title": "Everything"}
    part = client.post(url, everything, **htmx())
    html = part.content.decode()
    assert part.status_code == 400 and "<html" not in html and 'id="split-form"' in html
    assert "Leave at least one challenge in the problem; rename it instead." in html
    assert html.count("checked") == 2 and 'value="Everything"' in html
    assert 'id="split-entry_ids_error"' in html and "data-autofocus" in html
    # nothing chosen: step 1 again, with the reason (GET "Continue" and the POST alike)
    none = client.get(url, {"step": "confirm", "title": "Nothing"}, **htmx())
    assert none.status_code == 400 and "Choose the challenges that move to the new problem." in none.content.decode()
    assert 'value="Nothing"' in none.content.decode()
    full = client.post(url, {"title": "Nothing"})
    assert full.status_code == 400 and "<html" in full.content.decode()
    assert "Choose the challenges that move to the new problem." in full.content.decode()
    assert _state(problem) == before


def test_curation_steps_cost_a_fixed_number_of_queries(world, problem, other, django_assert_num_queries):
    client = world.client(world.mentor)
    base = f"/knowledge/problems/{problem.pk}"
    # session, user, the problem, the mentor's memberships (may curate?), then
    # merge: the matching problems and their topics; split: the readable challenges (entries, topics, confirmations)
    steps = {f"{base}/merge/?q=docker": 6, f"{base}/merge/?target={other.pk}": 5, f"{base}/split/": 7}
    for url, count in steps.items():
        with django_assert_num_queries(count):
            assert client.get(url, **htmx()).status_code == 200
    for n in range(3):
        ProblemLinkFactory(entry__hub=world.ada_hub, problem__title=f"Docker again {n}")
        ProblemLinkFactory(entry=ChallengeFactory(hub=world.ada_hub, title=f"Celery again {n}"), problem=problem)
    for url, count in steps.items():
        with django_assert_num_queries(count):
            html = client.get(url, **htmx()).content.decode()
    assert "Celery again 2" in html
