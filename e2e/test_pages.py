"""Every page of a complete site loads in Chromium with nothing from outside the server and no error."""

from __future__ import annotations

from playwright.sync_api import expect

from e2e import site
from e2e.conftest import MOBILE
from nexus.accounts.models import User


def test_every_page_loads_only_from_the_server(asgi_server, new_page):
    ids = site.build()
    users = {u.username: u for u in User.objects.filter(username__in=["ada", "grace", "linus", "mentor"])}
    visited = []
    by_user: dict[str | None, object] = {}
    for page_spec in site.pages(ids):
        page = by_user.get(page_spec.user)
        if page is None:
            page = by_user[page_spec.user] = new_page(users.get(page_spec.user) if page_spec.user else None)
        response = page.goto(page_spec.path)
        expected = 404 if page_spec.name == "not-found" else 200
        assert response is not None and response.status == expected, f"{page_spec.path}: {response and response.status}"
        expect(page.locator("main h1").first).to_be_visible()
        if page_spec.name == "entry":  # the comments: a question with its reply, a tombstone with its reply
            expect(page.locator("#comments .comment")).to_have_count(4)
            expect(page.locator("#comments .comment--reply")).to_have_count(2)
            expect(page.locator("#comments")).to_contain_text("This comment was deleted.")
            expect(page.get_by_role("button", name="thumbsup: 1", exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        visited.append(page_spec.name)
    # new_page's teardown asserts that no page requested another origin or raised a JavaScript error
    assert len(visited) == len(site.pages(ids))
    own = [url for p in by_user.values() for url in p.record.requests]  # type: ignore[attr-defined]
    assert any(url.endswith("/static/css/live.css") for url in own)
    assert any("/badge.svg" in url for url in own)


def test_every_page_fits_a_phone(asgi_server, new_page):
    """At 390 px nothing makes a page scroll sideways (wide tables and charts scroll inside their box)."""
    ids = site.build()
    users = {u.username: u for u in User.objects.filter(username__in=["ada", "grace", "linus", "mentor"])}
    widths = {}
    by_user: dict[str | None, object] = {}
    for page_spec in site.pages(ids):
        page = by_user.get(page_spec.user)
        if page is None:
            user = users.get(page_spec.user) if page_spec.user else None
            page = by_user[page_spec.user] = new_page(user, width=MOBILE, height=844)
        page.goto(page_spec.path)  # type: ignore[attr-defined]
        widths[page_spec.name] = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]

    assert widths == dict.fromkeys(widths, MOBILE)
    assert len(widths) == len(site.pages(ids))
