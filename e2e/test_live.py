"""Live pages in a real browser: two members chatting, reactions, and the notifications menu."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.discussions import services as discussion_services
from nexus.discussions.models import Message, MessageReaction
from nexus.notifications.models import Notification


@pytest.fixture
def chat(transactional_db):
    cohort = CohortFactory(name="ProDev BE 3")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace")).user
    mentor = MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR, user=UserFactory(username="mentor")).user
    channel = discussion_services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    thread = discussion_services.thread_create(
        actor=ada, channel_id=channel.pk, title="Celery tasks hang", body="Has anyone seen this?"
    )
    return {"ada": ada, "grace": grace, "channel": channel, "thread": thread}


def test_two_members_see_each_others_messages_live(asgi_server, new_page, chat):
    # given: ada and grace have the thread open in two browsers
    ada, grace = new_page(chat["ada"]), new_page(chat["grace"])
    url = f"/channels/threads/{chat['thread'].pk}/"
    for page in (ada, grace):
        page.goto(url)
        expect(page.locator("[data-live-status]")).to_have_text("Live")
        expect(page.locator("[data-thread-count]")).to_have_text("1 message")

    # when: grace replies, mentioning ada
    grace.get_by_label("Your reply").fill("Same here @ada — set `acks_late`.")
    grace.get_by_role("button", name="Send").click()

    # then: both see it, without reloading; ada's copy says it mentions her
    expect(grace.locator(".chat-message")).to_have_count(2)
    expect(ada.locator(".chat-message")).to_have_count(2)
    latest = ada.locator(".chat-message").last
    expect(latest).to_contain_text("Same here")
    expect(latest.locator("code")).to_have_text("acks_late")
    expect(latest).to_have_class(re.compile("chat-message--mentions-me"))
    expect(grace.get_by_label("Your reply")).to_have_value("")
    # and: the thread's header counts it in both browsers, without a reload
    expect(ada.locator("[data-thread-count]")).to_have_text("2 messages")
    expect(grace.locator("[data-thread-count]")).to_have_text("2 messages")

    # and: ada answers; grace sees it live too
    ada.get_by_label("Your reply").fill("Thanks, that fixed it!")
    ada.get_by_role("button", name="Send").click()
    expect(grace.locator(".chat-message")).to_have_count(3)
    expect(grace.locator(".chat-message").last).to_contain_text("Thanks, that fixed it!")
    expect(grace.locator("[data-thread-count]")).to_have_text("3 messages")
    expect(ada.locator("[data-thread-count]")).to_have_text("3 messages")
    assert list(Message.objects.order_by("id").values_list("author__username", flat=True)) == ["ada", "grace", "ada"]

    # and: ada's bell counts the mention live (the menu was open on her page all along)
    expect(ada.locator("#notifications-count")).to_have_text("1")


def test_a_reaction_shows_up_for_the_other_member(asgi_server, new_page, chat):
    ada, grace = new_page(chat["ada"]), new_page(chat["grace"])
    url = f"/channels/threads/{chat['thread'].pk}/"
    for page in (ada, grace):
        page.goto(url)
        expect(page.locator("[data-live-status]")).to_have_text("Live")

    grace.get_by_label("Add a reaction").click()
    grace.get_by_label("React with rocket").click()

    expect(grace.get_by_role("button", name="rocket: 1")).to_have_attribute("aria-pressed", "true")
    expect(ada.get_by_role("button", name="rocket: 1")).to_have_attribute("aria-pressed", "false")
    assert MessageReaction.objects.filter(user=chat["grace"], emoji="rocket").count() == 1


def test_the_notifications_menu_lists_and_marks_read(asgi_server, new_page, chat):
    # given: grace mentioned ada before ada came
    discussion_services.message_post(actor=chat["grace"], thread_id=chat["thread"].pk, body="@ada look")
    page = new_page(chat["ada"])
    page.goto("/channels/")

    # when: ada opens the menu
    expect(page.locator("#notifications-count")).to_have_text("1")
    page.get_by_label(re.compile("^Notifications, 1 unread")).click()
    item = page.locator(".notif").first
    expect(item).to_contain_text("grace mentioned you in “Celery tasks hang”")
    expect(item.get_by_role("link")).to_have_attribute("href", f"/channels/threads/{chat['thread'].pk}/")
    item.get_by_role("button", name=re.compile("Mark .* read")).click()

    # then
    expect(page.locator("#notifications-count")).to_be_hidden()
    expect(page.locator(".notif--unread")).to_have_count(0)
    assert Notification.objects.get(recipient=chat["ada"]).read_at is not None
