"""A mentor curates the knowledge base in a real browser: rename a problem in place, merge it, split it again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.hubs import services as hub_services
from nexus.knowledge.models import Problem, ProblemLink


@pytest.fixture
def problems(transactional_db, settings):
    settings.KNOWLEDGE_ATTACH_THRESHOLD = 0.99  # two duplicates the linker kept apart, for a mentor to merge
    cohort = CohortFactory(name="ProDev BE 3")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user
    mentor = MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR, user=UserFactory(username="mira")).user
    hub = hub_services.hub_create(actor=ada, program=cohort.program.slug, title="Ada's hub", visibility="public")
    written = []
    for title, problem in [
        ("Celery worker sits idle while tasks queue up", "Nothing consumes the RabbitMQ queue."),
        ("Celery tasks hang behind RabbitMQ", "The worker starts before the broker."),
    ]:
        entry = hub_services.entry_create(
            actor=ada, hub=hub.pk, kind="challenge", title=title, problem=problem, solution="Fixed it.",
            topics=[], status="published",
        )  # fmt: skip
        written.append(entry)
    target_entry, source_entry = written
    source = ProblemLink.objects.get(entry=source_entry).problem
    target = ProblemLink.objects.get(entry=target_entry).problem
    assert source.pk != target.pk
    return {"mentor": mentor, "source": source, "target": target}


def test_a_mentor_renames_in_place_merges_and_splits_after_confirming(asgi_server, new_page, problems):
    source, target = problems["source"], problems["target"]
    page = new_page(problems["mentor"])
    page.goto(f"/knowledge/problems/{source.pk}/")
    page.evaluate("window.__samePage = true")  # gone if renaming reloads the page

    # Rename: a blank title comes back in the header with its error, the description kept.
    page.locator("#rename-panel summary").click()
    page.locator("#rename-title").fill("   ")
    page.locator("#rename-description").fill("Workers give up on the broker.")
    page.get_by_role("button", name="Save the name").click()
    expect(page.locator("#rename-title_error")).to_have_text("This field is required.")
    expect(page.locator("#rename-title")).to_be_focused()
    expect(page.locator("#rename-description")).to_have_value("Workers give up on the broker.")
    page.locator("#rename-title").fill("Celery workers start before RabbitMQ")
    page.get_by_role("button", name="Save the name").click()
    expect(page.locator("main h1")).to_have_text("Celery workers start before RabbitMQ")
    expect(page.locator("main h1")).to_be_focused()
    expect(page).to_have_title("Celery workers start before RabbitMQ · Knowledge base · Nexus")
    assert page.evaluate("window.__samePage") is True

    # Merge: opening the panel suggests problems; a search finds the target; confirming names both.
    page.locator("#merge-panel summary").click()
    expect(page.locator("#merge-targets-list")).not_to_contain_text("Type words from the title")
    page.get_by_label("Find the problem to merge").fill("idle")
    target_choice = page.get_by_label("Celery worker sits idle while tasks queue up")
    expect(target_choice).to_be_visible()
    target_choice.check()
    page.get_by_role("button", name="Continue").click()
    question = page.locator("#merge-question")
    expect(question).to_have_text(
        "Merge “Celery workers start before RabbitMQ” into “Celery worker sits idle while tasks queue up”?"
    )
    expect(question).to_be_focused()
    page.get_by_role("button", name="Merge the problems").click()

    # The target's page, with the merged challenge and a message.
    expect(page).to_have_url(f"{asgi_server.url}/knowledge/problems/{target.pk}/")
    merged = "“Celery workers start before RabbitMQ” is merged into this problem"
    expect(page.locator("#messages")).to_contain_text(merged)
    expect(page.locator("main h1")).to_have_text("Celery worker sits idle while tasks queue up")
    expect(page.locator("#solutions")).to_contain_text("Celery tasks hang behind RabbitMQ")
    assert page.locator("#messages .message--error").count() == 0
    assert Problem.objects.get(pk=source.pk).merged_into_id == target.pk

    # Split: moving every challenge is refused in the form, the choice kept; then one moves.
    page.locator("#split-panel summary").click()
    boxes = page.locator("#split-form input[type=checkbox]")
    expect(boxes).to_have_count(2)
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_label("Title of the new problem").fill("Worker starts before the broker")
    page.locator("#split-continue").click()
    expect(page.locator("#split-question")).to_contain_text("Move 2 challenges")
    page.get_by_role("button", name="Split off the new problem").click()
    expect(page.locator("#split-entry_ids_error")).to_have_text(
        "Leave at least one challenge in the problem; rename it instead."
    )
    expect(boxes.nth(0)).to_be_checked()
    expect(page.get_by_label("Title of the new problem")).to_have_value("Worker starts before the broker")
    boxes.nth(0).uncheck()
    page.locator("#split-continue").click()
    page.get_by_role("button", name="Split off the new problem").click()
    expect(page.locator("main h1")).to_have_text("Worker starts before the broker")
    new = Problem.objects.get(title="Worker starts before the broker")
    expect(page).to_have_url(f"{asgi_server.url}/knowledge/problems/{new.pk}/")
    expect(page.locator("#messages")).to_contain_text("is a problem of its own now")
    assert page.locator("#messages .message--error").count() == 0
