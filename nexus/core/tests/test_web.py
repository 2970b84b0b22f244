"""The shared layout of every page: landmarks, navigation, search box, themes, htmx, CSRF, no other origins."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.test import Client, RequestFactory

from nexus.core.tests.web import build_world, htmx
from nexus.knowledge.models import ProblemLink


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return build_world(django_capture_on_commit_callbacks)


def _pages(world) -> list[str]:
    problem_id = ProblemLink.objects.get(entry=world.challenge).problem_id
    hub = world.ada_hub.slug
    return [
        "/",
        "/hubs/",
        "/@ada/",
        f"/entries/{world.learning.pk}/",
        f"/entries/{world.challenge.pk}/",
        f"/entries/{world.challenge.pk}/history/",
        "/knowledge/",
        f"/knowledge/problems/{problem_id}/",
        f"/knowledge/problems/{problem_id}/rename/",  # rename, merge, split: mentors and staff only
        f"/knowledge/problems/{problem_id}/merge/?q=celery",
        f"/knowledge/problems/{problem_id}/split/",
        "/search/?q=celery",
        "/search/",
        "/topics/",
        "/topics/celery/",
        "/hubs/import/",
        "/hubs/new/",
        "/accounts/profile/",
        "/accounts/notifications/",
        f"/hubs/{hub}/manage/",
        f"/hubs/{hub}/settings/",
        f"/hubs/{hub}/entries/new/",
        f"/entries/{world.learning.pk}/edit/",
    ]


# The most queries each page may make, signed out and signed in (a member costs two: session and
# user). Pages built from cached reads make fewer on a hit; these are the counts on a miss.
QUERY_BUDGET = {
    "/": (0, 2),
    "/hubs/": (2, 4),
    "/@ada/": (6, 8),
    "entry": (3, 5),  # comments: one query when there are none (see hubs/tests/test_comment_views.py)
    "challenge": (4, 7),
    "history": (3, 5),
    "/knowledge/": (3, 6),
    "problem": (5, 9),
    "/search/?q=celery": (4, 6),
    "/search/": (0, 2),
    "/topics/": (3, 5),
    "/topics/celery/": (9, 11),
    "/hubs/import/": (0, 3),
    "/hubs/new/": (0, 3),
    "/accounts/profile/": (0, 3),
    "/accounts/notifications/": (0, 3),
    "manage": (0, 5),
    "settings": (0, 4),
    "new entry": (0, 3),
    "edit": (0, 5),
}


def _budgeted(world) -> dict[str, str]:
    problem_id = ProblemLink.objects.get(entry=world.challenge).problem_id
    hub = world.ada_hub.slug
    named = {
        "entry": f"/entries/{world.learning.pk}/",
        "challenge": f"/entries/{world.challenge.pk}/",
        "history": f"/entries/{world.challenge.pk}/history/",
        "problem": f"/knowledge/problems/{problem_id}/",
        "manage": f"/hubs/{hub}/manage/",
        "settings": f"/hubs/{hub}/settings/",
        "new entry": f"/hubs/{hub}/entries/new/",
        "edit": f"/entries/{world.learning.pk}/edit/",
    }
    return {name: named.get(name, name) for name in QUERY_BUDGET}


def test_every_page_needs_only_a_handful_of_queries(world, django_assert_max_num_queries):
    for signed_in, member in enumerate((None, world.ada)):
        client = world.client(member)
        for name, path in _budgeted(world).items():
            with django_assert_max_num_queries(QUERY_BUDGET[name][signed_in]):
                response = client.get(path)
            assert response.status_code in (200, 302), (name, response.status_code)


def test_layout_has_landmarks_nav_search_and_skip_link(world):
    html = world.client().get("/knowledge/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" id="site-nav" aria-label="Main">' in html
    sections = [
        ("Hubs", "/hubs/"),
        ("Knowledge", "/knowledge/"),
        ("Search", "/search/"),
        ("Topics", "/topics/"),
        ("Registry", "/registry/"),
        ("Channels", "/channels/"),
        ("Insights", "/insights/"),
    ]
    for label, path in sections:
        assert re.search(rf'<a href="{path}"[^>]*>{label}</a>', html), label
    assert '<a href="/knowledge/" aria-current="page">Knowledge</a>' in html
    assert '<form class="site-search" role="search" method="get" action="/search/">' in html
    assert '<label for="site-search-q" class="visually-hidden">Search Nexus</label>' in html
    assert 'role="contentinfo"' in html and 'role="banner"' in html


def test_search_box_keeps_the_query_on_the_search_page(world):
    html = world.client().get("/search/?q=celery").content.decode()
    assert 'id="site-search-q" name="q" value="celery"' in html


def test_signed_out_shows_sign_in_and_sign_up(world):
    html = world.client().get("/").content.decode()
    assert 'id="sign-in"' in html and 'id="sign-up"' in html
    assert 'id="sign-out"' not in html
    assert "notifications-menu" not in html


def test_signed_in_shows_user_menu_and_sign_out_form(world):
    html = world.client(world.ada).get("/").content.decode()
    assert 'id="user-menu"' in html
    assert 'href="/@ada/">My hub</a>' in html
    assert re.search(
        r'<form method="post" action="/accounts/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"', html
    )
    assert 'id="sign-in"' not in html


def test_notifications_menu_block_is_in_the_header_for_members_only():
    source = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    header = source.split("</header>")[0]
    block = header.index("{% block notifications_menu %}")
    assert header.rfind("{% if user.is_authenticated %}", 0, block) > header.rfind("{% else %}", 0, block)


def test_htmx_and_theme_script_come_from_this_server(world):
    html = world.client().get("/").content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.js[^"]*"', html)
    assert '<script src="/static/js/nexus.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/css/nexus.css">' in html
    assert 'id="theme-toggle" aria-pressed="false"' in html


def test_every_htmx_request_carries_the_csrf_token(world):
    client = world.client(world.ada)
    html = client.get("/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', html)
    assert token is not None and len(token.group(1)) == 64


def test_csrf_is_enforced_on_page_forms(world):
    client = world.client(world.ada, enforce_csrf_checks=True)
    response = client.post(f"/entries/{world.draft.pk}/status/", {"status": "published"})
    assert response.status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_static_files_are_served(world):
    client = Client()
    for path in ["/static/css/nexus.css", "/static/js/nexus.js", "/static/django_htmx/htmx-2.min.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content)


def test_stylesheet_has_both_themes_focus_styles_and_no_imports():
    css = Path(finders.find("css/nexus.css")).read_text()
    assert "@media (prefers-color-scheme: dark)" in css
    assert ':root[data-theme="dark"]' in css and ':root:not([data-theme="light"])' in css
    assert ":focus-visible" in css
    assert "@import" not in css and "url(" not in css


def test_theme_choice_is_remembered_in_local_storage():
    js = Path(finders.find("js/nexus.js")).read_text()
    assert "localStorage.setItem(KEY, next)" in js and 'var KEY = "nexus-theme"' in js
    assert 'root.setAttribute("data-theme", stored)' in js


URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")


def _foreign(text: str) -> list[str]:
    """URLs in text that point at another host (XML namespaces and this test server's own are fine)."""
    found = []
    for url in URL.findall(text):
        if url.startswith(("http://www.w3.org/", "//www.w3.org/")):
            continue
        if re.match(r"(?:https?:)?//testserver(?:[/:]|$)", url):
            continue
        found.append(url)
    return found


def _external_sources(html: str) -> list[str]:
    """src/href/action attributes that load from another origin (links members wrote in entries are allowed:
    they are not loaded; scripts, styles, images, frames and forms are)."""
    loads = re.findall(
        r"""<(?:script|img|iframe|link|source|video|audio|embed)\b[^>]*?\b(?:src|href)=["']([^"']+)""", html
    )
    loads += re.findall(r"""<form\b[^>]*?\baction=["']([^"']+)""", html)
    loads += re.findall(r"""url\(([^)]+)\)""", html)
    return [u for u in loads if _foreign(u)]


def test_no_page_loads_anything_from_another_origin(world):
    for member in (None, world.ada, world.mentor):
        client = world.client(member)
        for path in _pages(world):
            response = client.get(path)
            if response.status_code != 200:
                continue
            html = response.content.decode()
            assert _external_sources(html) == [], (path, _external_sources(html))
            # The layout itself names no other host at all.
            chrome = html.split('<main id="main"')[0] + html.split("</main>")[-1]
            assert _foreign(chrome) == [], (path, _foreign(chrome))


def test_static_assets_name_no_other_host():
    for name in ["css/nexus.css", "js/nexus.js", "img/nexus.svg"]:
        assert _foreign(Path(finders.find(name)).read_text()) == [], name


def test_render_page_answers_htmx_with_the_fragment_and_varies(world):
    client = world.client()
    full = client.get("/hubs/")
    part = client.get("/hubs/", **htmx())
    assert "<html" in full.content.decode() and "<html" not in part.content.decode()
    assert 'id="hub-list"' in part.content.decode()
    assert "HX-Request" in full["Vary"] and "HX-Request" in part["Vary"]


def test_query_tags_keep_other_parameters():
    request = RequestFactory().get("/search/", {"q": "celery", "kind": "topic", "cursor": "abc"})
    template = Template(
        '{% load nexus_web %}{% query_replace page=2 %}|{% query_toggle "kind" "topic" "cursor" %}|'
        '{% query_toggle "kind" "challenge" %}'
    )
    out = template.render(Context({"request": request}))
    replaced, removed, switched = out.split("|")
    assert replaced == "?q=celery&amp;kind=topic&amp;cursor=abc&amp;page=2"
    assert removed == "?q=celery"
    assert switched == "?q=celery&amp;kind=challenge&amp;cursor=abc"


def test_not_found_page_uses_the_layout(world):
    response = world.client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and 'id="site-search-q"' in response.content.decode()


class _Controls(HTMLParser):
    """Collects form controls and what labels them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.buttons_without_text: list[str] = []
        self._button: dict[str, str | None] | None = None
        self._button_text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and attributes.get("type") in ("hidden", "submit", "button"):
                return
            if "hidden" in attributes and tag == "textarea":
                attributes["_hidden"] = "1"
            self.controls.append({**attributes, "_tag": tag, "_wrapped": "1" if self.open_labels else None})
        elif tag == "button":
            self._button, self._button_text = attributes, ""

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1
        elif tag == "button" and self._button is not None:
            if not self._button_text.strip() and not self._button.get("aria-label"):
                self.buttons_without_text.append(str(self._button))
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button_text += data


def test_every_control_has_a_label_and_every_button_a_name(world):
    checked = 0
    for member in (None, world.ada, world.mentor):
        client = world.client(member)
        for path in _pages(world):
            response = client.get(path)
            if response.status_code != 200:
                continue
            parser = _Controls()
            parser.feed(response.content.decode())
            for control in parser.controls:
                labelled = (
                    control.get("_wrapped")
                    or control.get("aria-label")
                    or (control.get("id") and control["id"] in parser.label_for)
                )
                assert labelled, (path, control)
                checked += 1
            assert parser.buttons_without_text == [], (path, parser.buttons_without_text)
    assert checked > 50  # the pages' forms were really seen


def test_the_label_check_notices_an_unlabelled_input():
    parser = _Controls()
    parser.feed('<label for="a">A</label><input id="a"><input id="b" type="text"><button type="submit"></button>')
    assert [c["id"] for c in parser.controls if c["id"] not in parser.label_for] == ["b"]
    assert len(parser.buttons_without_text) == 1


def test_no_page_repeats_an_id(world):
    for member in (None, world.ada, world.linus, world.mentor):
        client = world.client(member)
        for path in _pages(world):
            response = client.get(path)
            if response.status_code != 200:
                continue
            ids = re.findall(r'\sid="([^"]+)"', response.content.decode())
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            assert repeated == [], (path, repeated)


def test_forbidden_change_is_a_403_page_that_says_why(world):
    response = world.client(world.linus).get(f"/hubs/{world.ada_hub.slug}/manage/")
    assert response.status_code == 403
    assert "Only the hub&#x27;s owner can change it." in response.content.decode()
