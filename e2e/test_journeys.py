"""The main journey of issue 8 in a real browser, page by page, as a learner and then a mentor:

sign up → import a README → see the hub → edit an entry → search and find it → confirm a
solution → chat live with another member → a mentor sees the coverage heatmap.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from nexus.accounts.models import User
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory, ProgramFactory
from nexus.discussions import services as discussion_services
from nexus.hubs import services as hub_services
from nexus.hubs.models import Entry, Hub
from nexus.knowledge.models import SolutionConfirmation

DEMO = Path(__file__).resolve().parents[1] / "nexus" / "hubs" / "demo"
PASSWORD = "a-long-journey-2026"


def test_a_learner_from_sign_up_to_a_mentors_heatmap(asgi_server, new_page, taxonomy):
    # given: a backend cohort with a mentor, a channel, and grace, who imported a README like the one lin will
    program = ProgramFactory(slug="prodev-backend", name="ProDev Backend", track="backend")
    cohort = CohortFactory(program=program, slug="be-3", name="ProDev BE 3")
    mentor = MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR, user=UserFactory(username="mentor")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace")).user
    imported = hub_services.hub_import_readme(actor=grace, markdown=(DEMO / "ada.md").read_text(encoding="utf-8"))
    hub_services.hub_update(actor=grace, hub=imported.hub.pk, data={"visibility": "public"})
    channel = discussion_services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    thread = discussion_services.thread_create(actor=grace, channel_id=channel.pk, title="Welcome", body="Hi all!")

    # 1. sign up
    page = new_page()
    page.goto("/")
    page.locator("#sign-up").click()
    page.locator("#id_username").fill("lin")
    page.locator("#id_email").fill("lin@example.com")
    page.locator("#id_display_name").fill("Lin Learner")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#signup-form").get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/hubs/import/$"))
    expect(page.locator("#user-menu")).to_contain_text("lin")
    lin = User.objects.get(username="lin")
    MembershipFactory(cohort=cohort, user=lin)  # staff enrol the new learner in the cohort

    # 2. import a README: paste, preview, confirm
    page.reload()
    page.locator("#id_markdown").fill((DEMO / "ada.md").read_text(encoding="utf-8"))
    page.locator("#import-preview-button").click()
    expect(page.locator("#import-confirm")).to_be_visible()
    page.locator("#import-confirm").click()

    # 3. see the hub
    expect(page).to_have_url(re.compile(r"/@lin/"))
    expect(page.locator("main")).to_contain_text("Celery tasks hanging behind RabbitMQ")
    assert Entry.objects.filter(hub__owner=lin, status=Entry.Status.PUBLISHED).count() > 5

    # 3b. an imported hub starts private: lin shows it to everyone
    page.goto(f"/hubs/{Hub.objects.get(owner=lin).slug}/settings/")
    page.get_by_label("Everyone").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page).to_have_url(re.compile(r"/@lin/"))
    assert Hub.objects.get(owner=lin).visibility == Hub.Visibility.PUBLIC

    # 4. edit an entry
    page.get_by_role("link", name="CORS errors when the frontend called the API").first.click()
    page.locator("#edit-entry").click()
    page.locator("#id_title").fill("CORS errors from the Zanzibar frontend")
    page.locator("#save-entry").click()
    expect(page.locator("h1")).to_have_text("CORS errors from the Zanzibar frontend")

    # 5. search and find it
    page.locator("#site-search-q").fill("zanzibar")
    page.locator("#site-search-q").press("Enter")
    expect(page.locator(".result__title").first).to_contain_text("Zanzibar")
    page.locator(".result__title a").first.click()
    expect(page.locator("h1")).to_have_text("CORS errors from the Zanzibar frontend")

    # 6. confirm a solution: grace's fix for the Celery problem worked for lin too
    grace_challenge = Entry.objects.get(hub__owner=grace, title__icontains="Celery", kind=Entry.Kind.CHALLENGE)
    page.goto(f"/knowledge/problems/{grace_challenge.problem_link.problem_id}/")
    button = page.locator(f"#worked-button-{grace_challenge.pk}")
    button.click()
    expect(page.locator(f"#worked-button-{grace_challenge.pk}")).to_have_attribute("aria-pressed", "true")
    assert SolutionConfirmation.objects.filter(entry=grace_challenge, user=lin).exists()

    # 7. chat: lin and grace see each other's messages live, in two browsers
    other = new_page(grace)
    for each in (page, other):
        each.goto(f"/channels/threads/{thread.pk}/")
        expect(each.locator("[data-live-status]")).to_have_text("Live")
    page.get_by_label("Your reply").fill("Hello @grace, your Celery fix worked for me!")
    page.get_by_role("button", name="Send").click()
    expect(other.locator(".chat-message").last).to_contain_text("your Celery fix worked for me")
    other.get_by_label("Your reply").fill("Glad it helped, Lin.")
    other.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-message").last).to_contain_text("Glad it helped, Lin.")

    # 8. a mentor sees lin in the coverage heatmap
    mentor_page = new_page(mentor)
    mentor_page.goto("/insights/")
    expect(mentor_page).to_have_url(re.compile(r"/insights/be-3/$"))
    heatmap = mentor_page.locator("#coverage-heatmap")
    expect(heatmap.get_by_role("columnheader", name="Celery")).to_be_visible()
    row = heatmap.get_by_role("row", name=re.compile("Lin Learner"))
    expect(row).to_be_visible()
    expect(row.locator("td.heat--0")).not_to_have_count(len(heatmap.locator("thead th.heatmap__topic").all()))
    expect(mentor_page.locator("#activity-chart")).to_be_visible()
