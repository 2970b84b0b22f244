"""Comments on an entry's page in a real browser: comment, reply, react, edit and delete in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.discussions.models import Comment, CommentReaction
from nexus.hubs import services as hub_services


@pytest.fixture
def entry(transactional_db):
    cohort = CohortFactory(name="ProDev BE 3")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace", profile__display_name="Grace H")).user
    hub = hub_services.hub_create(actor=ada, program=cohort.program.slug, title="Ada's hub", visibility="public")
    learning = hub_services.entry_create(
        actor=ada, hub=hub.pk, kind="learning", title="Signals in Django", body="Signals wire apps together.",
        topics=[], status="published",
    )  # fmt: skip
    return {"grace": grace, "entry": learning}


def test_a_member_comments_replies_reacts_edits_and_deletes_without_a_reload(asgi_server, new_page, entry):
    page = new_page(entry["grace"])
    page.goto(f"/entries/{entry['entry'].pk}/")
    page.evaluate("window.__samePage = true")  # gone if anything below reloads the page
    comments = page.locator("#comment-list > .comment")

    # A blank comment comes back with its error in the form (the browser's `required` lets spaces by).
    page.get_by_label("Add a comment").fill("   ")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#comment-new-body_error")).to_have_text("A comment needs some text.")
    expect(page.get_by_label("Add a comment")).to_be_focused()

    # Comment: the list is refreshed in place, the new comment has focus, the form is empty again.
    page.get_by_label("Add a comment").fill("Do **signals** run inside the transaction?")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(comments).to_have_count(1)
    expect(comments.first.locator(".comment__body strong")).to_have_text("signals")
    expect(comments.first.locator(".comment__main")).to_be_focused()
    expect(page.get_by_label("Add a comment")).to_have_value("")

    # Reply, nested under it.
    comments.first.locator("summary", has_text="Reply").click()
    page.get_by_label("Your reply to Grace H").fill("Answering myself: they run inline.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".comment--reply")).to_have_count(1)
    expect(page.locator(".comment--reply")).to_contain_text("they run inline")

    # React to the top comment.
    top = page.locator(f"#comment-{Comment.objects.get(parent=None).pk}-main")
    top.get_by_label("Add a reaction").click()
    top.get_by_label("React with rocket").click()
    expect(top.get_by_role("button", name="rocket: 1")).to_have_attribute("aria-pressed", "true")
    expect(top.get_by_role("button", name="rocket: 1")).to_be_focused()

    # Edit the top comment in place.
    top.get_by_role("link", name="Edit your comment").click()
    page.get_by_label("Your comment").fill("Do signals run inside the transaction, or after it?")
    page.get_by_role("button", name="Save").click()
    expect(top).to_contain_text("or after it?")
    expect(top).to_contain_text("(edited)")

    # Delete the reply (after confirming): a tombstone takes its place.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".comment--reply").get_by_role("button", name="Delete your comment").click()
    expect(page.locator(".comment--reply")).to_contain_text("This comment was deleted.")

    assert page.evaluate("window.__samePage") is True
    assert page.locator("#messages .message--error").count() == 0
    top_comment, reply = Comment.objects.order_by("id")
    assert top_comment.body == "Do signals run inside the transaction, or after it?" and top_comment.edited_at
    assert reply.parent_id == top_comment.pk and reply.is_deleted
    assert list(CommentReaction.objects.values_list("emoji", flat=True)) == ["rocket"]
