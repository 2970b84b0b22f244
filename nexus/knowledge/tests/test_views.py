"""Knowledge base pages: problems ranked by hits, ranked solutions, undoable buttons, similar problems."""

from __future__ import annotations

from nexus.core.tests.web import htmx
from nexus.knowledge.models import ProblemConfirmation, ProblemLink, SolutionConfirmation, SolutionVerification
from nexus.knowledge.tests.factories import ProblemConfirmationFactory, ProblemFactory, ProblemLinkFactory


def test_both_celery_challenges_are_one_problem(world, problem):
    assert ProblemLink.objects.get(entry=world.linus_challenge).problem_id == problem.pk


def test_index_ranks_problems_by_how_many_learners_hit_them(world, problem, django_assert_num_queries):
    rare = ProblemLinkFactory(
        entry__hub=world.ada_hub, entry__title="Rare one", problem__title="A rare problem"
    ).problem
    ProblemConfirmationFactory(problem=rare)
    problem.hit_count, rare.hit_count = 2, 1
    problem.save(update_fields=["hit_count"])
    rare.save(update_fields=["hit_count"])
    client = world.client(world.grace)
    with django_assert_num_queries(6):  # session, member, count, page, topics, own hits
        html = client.get("/knowledge/").content.decode()
    assert html.index(problem.title) < html.index("A rare problem")
    assert f'id="hit-button-{problem.pk}"' in html


def test_index_filters_by_topic_and_text_and_answers_htmx_with_a_fragment(world, problem):
    client = world.client()
    assert problem.title in client.get("/knowledge/?topic=celery").content.decode()
    assert problem.title not in client.get("/knowledge/?topic=django").content.decode()
    part = client.get("/knowledge/?q=rabbitmq", **htmx()).content.decode()
    assert "<html" not in part and problem.title in part
    assert "No problems found" in client.get("/knowledge/?q=zzzz", **htmx()).content.decode()


def test_problem_page_lists_the_solutions_the_viewer_may_read(world, problem, django_assert_num_queries):
    # Linus's hub is for his cohort: an anonymous reader sees Ada's solution only.
    with django_assert_num_queries(5):
        html = world.client().get(f"/knowledge/problems/{problem.pk}/").content.decode()
    assert "Retry the broker connection on startup." in html
    assert "Add a health check" not in html
    assert "1 solution, best first" in html
    assert 'id="hit-button-' not in html  # anonymous: no buttons
    member = world.client(world.ada).get(f"/knowledge/problems/{problem.pk}/").content.decode()
    assert "2 solutions, best first" in member and "Add a health check" in member


def test_solutions_are_ranked_by_confirmations_and_verification(world, problem):
    SolutionVerification.objects.create(entry=world.linus_challenge, verified_by=world.mentor)
    html = world.client(world.ada).get(f"/knowledge/problems/{problem.pk}/").content.decode()
    assert html.index("Add a health check") < html.index("Retry the broker connection")
    assert "✓ Verified by a mentor" in html


def test_problem_hidden_from_the_viewer_is_404(world):
    hidden = ProblemLinkFactory(entry__hub=world.grace_hub, problem__title="Grace only").problem
    assert world.client().get(f"/knowledge/problems/{hidden.pk}/").status_code == 404
    assert world.client(world.grace).get(f"/knowledge/problems/{hidden.pk}/").status_code == 200
    assert world.client(world.ada).post(f"/knowledge/problems/{hidden.pk}/hit/", {"hit": "1"}).status_code == 404


def test_merged_problem_redirects_to_its_target(world, problem):
    old = ProblemFactory(merged_into=problem)
    response = world.client().get(f"/knowledge/problems/{old.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/knowledge/problems/{problem.pk}/"


def test_i_hit_this_too_is_idempotent_and_undoable(world, problem):
    client = world.client(world.grace)
    url = f"/knowledge/problems/{problem.pk}/hit/"
    first = client.post(url, {"hit": "1"}, **htmx())
    html = first.content.decode()
    assert "<html" not in html and f'id="hit-{problem.pk}"' in html
    assert 'aria-pressed="true"' in html and 'name="hit" value="0"' in html  # undo offered
    client.post(url, {"hit": "1"}, **htmx())
    assert ProblemConfirmation.objects.filter(problem=problem, user=world.grace).count() == 1
    problem.refresh_from_db()
    hits = problem.hit_count
    undone = client.post(url, {"hit": "0"}, **htmx()).content.decode()
    assert 'aria-pressed="false"' in undone and 'name="hit" value="1"' in undone
    assert not ProblemConfirmation.objects.filter(problem=problem, user=world.grace).exists()
    problem.refresh_from_db()
    assert problem.hit_count == hits - 1


def test_hit_button_without_htmx_redirects_back_and_checks_input(world, problem):
    client = world.client(world.grace)
    url = f"/knowledge/problems/{problem.pk}/hit/"
    response = client.post(url, {"hit": "1", "next": "/knowledge/"})
    assert response.status_code == 302 and response["Location"] == "/knowledge/"
    assert client.post(url, {"hit": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405
    anonymous = world.client().post(url, {"hit": "1"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_worked_for_me_is_idempotent_undoable_and_not_on_your_own(world):
    client = world.client(world.linus)
    url = f"/knowledge/solutions/{world.challenge.pk}/worked/"
    html = client.post(url, {"worked": "1"}, **htmx()).content.decode()
    assert "<html" not in html and 'aria-pressed="true"' in html
    assert '<span class="worked-count">1</span>' in html
    client.post(url, {"worked": "1"}, **htmx())
    assert SolutionConfirmation.objects.filter(entry=world.challenge).count() == 1
    html = client.post(url, {"worked": "0"}, **htmx()).content.decode()
    assert '<span class="worked-count">0</span>' in html and 'name="worked" value="1"' in html
    assert world.client(world.ada).post(url, {"worked": "1"}).status_code == 403
    assert not SolutionConfirmation.objects.filter(entry=world.challenge).exists()


def test_worked_for_me_needs_a_published_challenge_the_member_can_read(world):
    client = world.client(world.linus)
    assert client.post(f"/knowledge/solutions/{world.grace_entry.pk}/worked/", {"worked": "1"}).status_code == 404
    response = client.post(f"/knowledge/solutions/{world.learning.pk}/worked/", {"worked": "1"})
    assert response.status_code == 400
    assert response.content.decode() == "Only a published challenge's solution can be confirmed or verified."


def test_only_mentors_of_the_cohort_verify(world):
    url = f"/knowledge/solutions/{world.challenge.pk}/verified/"
    assert world.client(world.linus).post(url, {"verified": "1"}).status_code == 403
    html = world.client(world.mentor).post(url, {"verified": "1"}, **htmx()).content.decode()
    assert "✓ Verified by a mentor" in html and 'name="verified" value="0"' in html
    assert SolutionVerification.objects.filter(entry=world.challenge).exists()
    world.client(world.mentor).post(url, {"verified": "0"}, **htmx())
    assert not SolutionVerification.objects.filter(entry=world.challenge).exists()


def test_similar_problems_while_composing(world, problem, django_assert_max_num_queries):
    client = world.client(world.grace)
    # session, member, the similar selector (8 with its per-process word frequencies cold), visibility
    with django_assert_max_num_queries(11):
        response = client.post(
            "/knowledge/similar/", {"title": "Celery hangs", "problem": "tasks stuck behind RabbitMQ"}, **htmx()
        )
    html = response.content.decode()
    assert "<html" not in html and f'href="/knowledge/problems/{problem.pk}/"' in html
    assert "No similar problem yet" in client.post("/knowledge/similar/", {"title": "Tailwind purge"}).content.decode()
    # Editing a challenge does not suggest its own problem.
    hidden = client.post(
        "/knowledge/similar/",
        {"title": "Celery hangs", "problem": "behind RabbitMQ", "exclude_entry": str(world.linus_challenge.pk)},
    )
    assert problem.title in hidden.content.decode()  # grace cannot read linus's entry: nothing excluded
    mine = world.client(world.ada).post(
        "/knowledge/similar/",
        {"title": "Celery hangs", "problem": "behind RabbitMQ", "exclude_entry": str(world.challenge.pk)},
    )
    assert problem.title not in mine.content.decode()
