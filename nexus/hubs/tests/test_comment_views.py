"""Comments on the entry page: reading (the API's visibility), posting, replying, editing, deleting and
reacting through the discussions services, with htmx fragments and without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nexus.core.tests.test_web import _Controls
from nexus.core.tests.web import build_world, htmx
from nexus.discussions import services as discussion_services
from nexus.discussions.models import Comment, CommentReaction


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return build_world(django_capture_on_commit_callbacks)


def _comment(world, author, body, *, entry=None, parent=None):
    entry = entry or world.learning
    return discussion_services.comment_add(
        actor=author, entry_id=entry.pk, body=body, parent_id=parent.pk if parent else None
    )


def _conversation(world, n: int = 1, entry=None) -> list[Comment]:
    """`n` top comments on an entry (ada's public learning), each with a reply and reactions on both."""
    tops = []
    for i in range(n):
        top = _comment(world, world.linus, f"Question {i}: do **signals** run in the transaction? @mira", entry=entry)
        reply = _comment(world, world.mentor, f"Answer {i}: they run inline, @linus.", entry=entry, parent=top)
        for member in (world.ada, world.mentor):
            discussion_services.comment_react(actor=member, comment_id=top.pk, emoji="tada", on=True)
        discussion_services.comment_react(actor=world.linus, comment_id=reply.pk, emoji="rocket", on=True)
        tops.append(top)
    return tops


def _untokened(html: str) -> str:
    """HTML without its CSRF tokens (masked anew on every render)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _url(entry) -> str:
    return f"/entries/{entry.pk}/"


def _comments(entry) -> str:
    return f"/entries/{entry.pk}/comments/"


def _reactions(comment) -> str:
    return f"/entries/comments/{comment.pk}/reactions/"


# --- reading ----------------------------------------------------------------------------------


def test_entry_page_lists_comments_replies_and_reactions(world, django_assert_num_queries):
    # given
    top = _conversation(world)[0]
    reply = top.replies.get()

    # when: the entry and its hub, topics; comments, replies, and the reactions of each
    with django_assert_num_queries(6):
        html = world.client().get(_url(world.learning)).content.decode()

    # then
    assert '<section class="comments" id="comments" aria-labelledby="comments-title">' in html
    assert 'Comments <span class="muted">(2)</span>' in html
    assert f'<li class="comment" id="comment-{top.pk}">' in html
    assert f'<a class="comment__author" id="comment-{top.pk}-by" href="/@linus/">Linus T</a>' in html
    assert re.search(rf'<a class="muted small" href="#comment-{top.pk}"><time datetime="\d{{4}}-\d\d-\d\dT', html)
    assert "do <strong>signals</strong> run in the transaction?" in html
    replies = html[html.index('<ol class="list-plain comment__replies"') :]
    assert f'<li class="comment comment--reply" id="comment-{reply.pk}">' in replies
    assert "Answer 0: they run inline" in replies
    assert '<span class="reaction reaction--count"><span aria-hidden="true">🎉</span> 2' in html
    assert '<span class="reaction reaction--count"><span aria-hidden="true">🚀</span> 1' in html


@pytest.mark.parametrize(
    ("page", "member", "queries"),
    [
        ("learning", None, 6),
        ("learning", "ada", 8),
        ("learning", "linus", 9),
        ("challenge", None, 7),
        ("challenge", "linus", 11),
    ],
)
def test_entry_page_queries_do_not_grow_with_its_comments(world, django_assert_num_queries, page, member, queries):
    # The entry, topics; comments, replies and the reactions of each (4). Signed in: the session and
    # the user; a member who is not the entry's owner: whether they moderate its comments. A
    # challenge: its solution's signals, and whether the viewer may verify it.
    entry = getattr(world, page)
    client = world.client(getattr(world, member) if member else None)
    _conversation(world, n=1, entry=entry)
    with django_assert_num_queries(queries):
        client.get(_url(entry))

    _conversation(world, n=5, entry=entry)
    with django_assert_num_queries(queries):
        html = client.get(_url(entry)).content.decode()

    assert html.count('<li class="comment"') == 6 and html.count('<li class="comment comment--reply"') == 6


def test_anonymous_reads_public_comments_but_gets_no_form(world):
    top = _conversation(world)[0]

    html = world.client().get(_url(world.learning)).content.decode()

    assert "Question 0" in html
    assert 'id="comment-form"' not in html and "<textarea" not in html
    assert "Add a reaction" not in html and 'name="on"' not in html
    assert f'id="reply-form-{top.pk}"' not in html and "Edit" not in html
    assert f'<a href="/accounts/login/?next=/entries/{world.learning.pk}/">Sign in</a> to comment.' in html


def test_comment_html_is_the_sanitized_rendering(world):
    _comment(world, world.linus, "**bold**\n\n<script>alert(1)</script><img src=x onerror=alert(2)>")

    html = world.client().get(_url(world.learning)).content.decode()

    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)" not in html and "onerror" not in html


def test_a_signed_in_member_gets_forms_to_comment_reply_and_react(world):
    top = _conversation(world)[0]

    html = world.client(world.grace).get(_url(world.learning)).content.decode()

    assert '<label for="comment-new-body">Add a comment' in html
    assert 'id="comment-form"' in html and f'hx-post="/entries/{world.learning.pk}/comments/"' in html
    assert f'<label for="reply-{top.pk}-body">Your reply to Linus T' in html
    assert f'<input type="hidden" name="parent" value="{top.pk}">' in html
    assert 'aria-label="tada: 2"' in html and 'aria-pressed="false"' in html
    assert 'aria-label="Add a reaction"' in html
    # Not hers: no edit or delete.
    assert f'id="comment-{top.pk}-edit"' not in html and f'id="comment-{top.pk}-delete"' not in html


def test_the_comments_fragment_for_htmx(world, django_assert_num_queries):
    _conversation(world)
    client = world.client(world.ada)

    with django_assert_num_queries(7):  # session, user, the entry; comments as on the page (4)
        response = client.get(f"/entries/{world.learning.pk}/comments/", **htmx())

    html = response.content.decode()
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<h2 class="comments__title" id="comments-title">')
    assert "<html" not in html and "Question 0" in html
    full = client.get(f"/entries/{world.learning.pk}/comments/")
    assert full.status_code == 302 and full["Location"] == f"/entries/{world.learning.pk}/#comments"
    page = client.get(_url(world.learning)).content.decode()
    assert _untokened(html).strip() in _untokened(page)  # the page includes the same partial


def test_a_member_of_another_cohort_gets_404_on_a_cohort_hubs_comments(world):
    comment = _comment(world, world.ada, "Nice schedules.", entry=world.linus_learning)
    grace = world.client(world.grace)

    assert grace.get(_url(world.linus_learning)).status_code == 404
    assert grace.get(f"/entries/{world.linus_learning.pk}/comments/", **htmx()).status_code == 404
    assert grace.post(f"/entries/{world.linus_learning.pk}/comments/", {"body": "Hi"}).status_code == 404
    assert grace.post(f"/entries/{world.linus_learning.pk}/comments/", {"body": ""}, **htmx()).status_code == 404
    assert grace.get(f"/entries/comments/{comment.pk}/", **htmx()).status_code == 404
    assert grace.get(f"/entries/comments/{comment.pk}/edit/").status_code == 404
    assert grace.post(f"/entries/comments/{comment.pk}/delete/").status_code == 404
    assert grace.post(f"/entries/comments/{comment.pk}/reactions/", {"emoji": "tada", "on": "1"}).status_code == 404
    assert Comment.objects.filter(entry=world.linus_learning).count() == 1
    assert not CommentReaction.objects.exists() and not Comment.objects.filter(deleted_at__isnull=False).exists()
    # A member of the cohort reads them.
    assert "Nice schedules." in world.client(world.mentor).get(_url(world.linus_learning)).content.decode()


def test_every_comment_control_is_labelled_and_no_id_repeats(world):
    top = _conversation(world, n=2)[0]
    own = _comment(world, world.ada, "Thanks, everyone.")
    pages = [_url(world.learning), f"/entries/comments/{own.pk}/edit/"]
    for member in (None, world.ada, world.linus):
        for path in pages if member is world.ada else pages[:1]:
            html = world.client(member).get(path).content.decode()
            parser = _Controls()
            parser.feed(html)
            for control in parser.controls:
                assert control.get("id") in parser.label_for or control.get("_wrapped"), (path, control)
            assert parser.buttons_without_text == [], (path, parser.buttons_without_text)
            ids = re.findall(r'\sid="([^"]+)"', html)
            assert sorted({i for i in ids if ids.count(i) > 1}) == [], path
    assert f'<label for="reply-{top.pk}-body">' in html


# --- posting and replying ---------------------------------------------------------------------


def test_posting_a_comment_with_htmx_answers_the_refreshed_list(world):
    client = world.client(world.linus)

    response = client.post(f"/entries/{world.learning.pk}/comments/", {"body": "Do **signals** block? @ada"}, **htmx())

    comment = Comment.objects.get(entry=world.learning)
    html = response.content.decode()
    assert response.status_code == 201 and "<html" not in html
    assert (comment.author, comment.body, comment.parent) == (world.linus, "Do **signals** block? @ada", None)
    assert 'Comments <span class="muted">(1)</span>' in html
    assert (
        f'id="comment-{comment.pk}-main" aria-labelledby="comment-{comment.pk}-by" tabindex="-1" data-autofocus>'
        in html
    )
    assert "Do <strong>signals</strong> block?" in html
    # A fresh form, ready for the next comment.
    assert re.search(r'<textarea name="body"[^>]*id="comment-new-body">\s*</textarea>', html)


def test_posting_without_javascript_redirects_to_the_comment(world):
    client = world.client(world.linus)

    response = client.post(f"/entries/{world.learning.pk}/comments/", {"body": "Plain form post."})

    comment = Comment.objects.get(entry=world.learning)
    assert response.status_code == 302 and response["Location"] == f"/entries/{world.learning.pk}/#comment-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Your comment is posted." in page and "Plain form post." in page


def test_replying_nests_under_the_top_comment(world):
    top = _comment(world, world.linus, "Top.")
    reply = _comment(world, world.ada, "First reply.", parent=top)
    client = world.client(world.mentor)

    response = client.post(
        f"/entries/{world.learning.pk}/comments/", {"body": "Reply to the reply.", "parent": reply.pk}, **htmx()
    )

    added = Comment.objects.get(body="Reply to the reply.")
    assert response.status_code == 201 and added.parent_id == top.pk  # one level: it joins the top comment
    html = response.content.decode()
    replies = html[html.index('<ol class="list-plain comment__replies"') :]
    assert replies.index(f'id="comment-{reply.pk}"') < replies.index(f'id="comment-{added.pk}"')
    without_js = client.post(f"/entries/{world.learning.pk}/comments/", {"body": "Again.", "parent": top.pk})
    assert without_js.status_code == 302
    assert "Your reply is posted." in client.get(without_js["Location"]).content.decode()


def test_anonymous_posts_are_sent_to_sign_in(world):
    response = world.client().post(f"/entries/{world.learning.pk}/comments/", {"body": "Hello"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/entries/{world.learning.pk}/"
    assert not Comment.objects.exists()


def test_errors_come_back_in_the_form_with_the_text(world):
    top = _comment(world, world.linus, "Top.")
    client = world.client(world.grace)
    url = f"/entries/{world.learning.pk}/comments/"

    # An empty comment, with htmx: the list again, the form marked (the page swaps it in).
    empty = client.post(url, {"body": "   "}, **htmx())
    html = empty.content.decode()
    assert empty.status_code == 400 and "<html" not in html
    assert (
        '<ul class="field__errors errorlist" id="comment-new-body_error"><li>A comment needs some text.</li></ul>'
        in html
    )
    assert 'aria-invalid="true"' in html and "data-autofocus" in html

    # A reply the service refuses (its parent is on another entry): on top of the form, text kept.
    elsewhere = _comment(world, world.linus, "Elsewhere.", entry=world.challenge)
    refused = client.post(url, {"body": "My *careful* answer", "parent": elsewhere.pk}, **htmx())
    html = refused.content.decode()
    assert refused.status_code == 400
    assert f"No comment {elsewhere.pk} on this entry." in html
    assert re.search(r'id="comment-new-body">\s*My \*careful\* answer</textarea>', html)

    # A reply that is too long, without JavaScript: the whole page, the reply form open, text kept.
    long = "x" * 10_001
    page = client.post(url, {"body": long, "parent": top.pk})
    html = page.content.decode()
    assert page.status_code == 400 and "<html" in html
    assert '<details class="comment__reply" open>' in html
    assert f'id="reply-{top.pk}-body_error"' in html and "at most 10000 characters" in html
    assert long in html
    assert Comment.objects.filter(author=world.grace).count() == 0
    assert client.post(url, {"body": "x", "parent": "one"}).status_code == 400


def test_writes_answer_in_queries_that_do_not_grow_with_the_comments(world):
    # What the service itself costs is its business (discussions/tests); what the page adds is fixed.
    client = world.client(world.grace)

    def cost(status: int, *args, **data) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(*args, **data, **htmx())
        assert response.status_code == status
        return len(queries)

    def writes() -> dict[str, int]:
        top = Comment.objects.filter(entry=world.learning, parent=None).last()
        return {
            "comment": cost(201, _comments(world.learning), {"body": "Hi"}),
            "reply": cost(201, _comments(world.learning), {"body": "Re", "parent": top.pk}),
            "error": cost(400, _comments(world.learning), {"body": ""}),
            "react": cost(200, _reactions(top), {"emoji": "eyes", "on": "1"}),
            "unreact": cost(200, _reactions(top), {"emoji": "eyes", "on": "0"}),
        }

    _conversation(world, n=1)
    few = writes()
    _conversation(world, n=5)
    assert writes() == few


# --- editing, deleting ------------------------------------------------------------------------


def test_editing_ones_comment_in_place_with_htmx(world):
    comment = _comment(world, world.linus, "Frist!")
    client = world.client(world.linus)
    url = f"/entries/comments/{comment.pk}/edit/"

    form = client.get(url, **htmx())
    html = form.content.decode()
    assert form.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<form method="post" action="{url}" class="comment__main comment-form"')
    assert f'id="comment-{comment.pk}-main"' in html and "data-swap-errors" in html
    assert re.search(
        rf'<textarea[^>]*data-autofocus[^>]*id="comment-{comment.pk}-edit-body">\s*Frist!</textarea>', html
    )

    saved = client.post(url, {"body": "First, *properly*."}, **htmx())
    html = saved.content.decode()
    assert saved.status_code == 200
    assert html.lstrip().startswith(f'<article class="comment__main" id="comment-{comment.pk}-main"')
    assert "First, <em>properly</em>." in html and "(edited)" in html and "data-autofocus" in html
    comment.refresh_from_db()
    assert comment.body == "First, *properly*." and comment.edited_at is not None

    # An empty text stays in the form with its error; "Cancel" puts the comment back.
    refused = client.post(url, {"body": ""}, **htmx())
    assert refused.status_code == 400 and "A comment needs some text." in refused.content.decode()
    assert f'hx-get="/entries/comments/{comment.pk}/"' in refused.content.decode()
    back = client.get(f"/entries/comments/{comment.pk}/", **htmx())
    assert back.status_code == 200 and "First, <em>properly</em>." in back.content.decode()
    assert (
        client.get(f"/entries/comments/{comment.pk}/")["Location"]
        == f"/entries/{world.learning.pk}/#comment-{comment.pk}"
    )


def test_editing_without_javascript_has_its_own_page(world):
    comment = _comment(world, world.linus, "Typo here.")
    client = world.client(world.linus)
    url = f"/entries/comments/{comment.pk}/edit/"

    page = client.get(url).content.decode()
    assert "<h1>Edit your comment</h1>" in page and f'<label for="comment-{comment.pk}-edit-body">Your comment' in page

    invalid = client.post(url, {"body": "x" * 10_001})
    assert invalid.status_code == 400 and "<h1>Edit your comment</h1>" in invalid.content.decode()
    saved = client.post(url, {"body": "No typo."})
    assert saved.status_code == 302 and saved["Location"] == f"/entries/{world.learning.pk}/#comment-{comment.pk}"
    assert "Your comment is saved." in client.get(saved["Location"]).content.decode()
    comment.refresh_from_db()
    assert comment.body == "No typo."


def test_someone_elses_comment_cannot_be_edited(world):
    comment = _comment(world, world.mentor, "Mentor's word.")
    url = f"/entries/comments/{comment.pk}/edit/"

    # Readers who are not its author: 403 (as PATCH comments/{id}/); even the entry's owner.
    for member in (world.linus, world.ada):
        client = world.client(member)
        assert client.get(url).status_code == 403
        assert client.post(url, {"body": "Hijacked"}).status_code == 403
        assert client.post(url, {"body": "Hijacked"}, **htmx()).status_code == 403
    # Who cannot read the entry: 404; nobody signed in: to sign in.
    hidden = _comment(world, world.linus, "Cohort only.", entry=world.linus_learning)
    assert world.client(world.grace).post(f"/entries/comments/{hidden.pk}/edit/", {"body": "x"}).status_code == 404
    assert world.client().post(url, {"body": "x"})["Location"].startswith("/accounts/login/")
    comment.refresh_from_db()
    hidden.refresh_from_db()
    assert (comment.body, comment.edited_at, hidden.body) == ("Mentor's word.", None, "Cohort only.")
    # A deleted comment has nothing left to edit.
    discussion_services.comment_delete(actor=world.mentor, comment_id=comment.pk)
    gone = world.client(world.mentor).get(url)
    assert gone.status_code == 409 and gone.content.decode() == "This comment was deleted."


def test_deleting_leaves_a_tombstone_and_keeps_the_replies(world):
    top = _comment(world, world.linus, "Wrong thread, sorry.")
    reply = _comment(world, world.mentor, "No worries.", parent=top)
    client = world.client(world.linus)

    response = client.post(f"/entries/comments/{top.pk}/delete/", **htmx())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="comment__main" id="comment-{top.pk}-main"')
    assert "This comment was deleted." in html and "Wrong thread" not in html
    assert "data-autofocus" in html and f'id="comment-{top.pk}-edit"' not in html
    top.refresh_from_db()
    assert top.is_deleted and top.deleted_by == world.linus
    page = client.get(_url(world.learning)).content.decode()
    assert "No worries." in page and 'Comments <span class="muted">(1)</span>' in page
    assert f'id="reply-form-{top.pk}"' not in page  # no replying to a tombstone
    # Deleting again changes nothing; without JavaScript the answer is the entry page.
    again = client.post(f"/entries/comments/{top.pk}/delete/")
    assert again.status_code == 302 and again["Location"] == f"/entries/{world.learning.pk}/#comment-{top.pk}"
    reply.refresh_from_db()
    assert not reply.is_deleted


def test_who_may_delete_a_comment(world):
    by_linus = _comment(world, world.linus, "On ada's entry.")
    by_grace = _comment(world, world.grace, "Another.")

    # Another member who reads the entry: neither a button nor the right (403, nothing changes).
    page = world.client(world.grace).get(_url(world.learning)).content.decode()
    assert f'id="comment-{by_linus.pk}-delete"' not in page and f'id="comment-{by_grace.pk}-delete"' in page
    assert world.client(world.grace).post(f"/entries/comments/{by_linus.pk}/delete/").status_code == 403
    by_linus.refresh_from_db()
    assert not by_linus.is_deleted
    # The entry's owner moderates the comments on it.
    owner = world.client(world.ada)
    assert f'id="comment-{by_linus.pk}-delete"' in owner.get(_url(world.learning)).content.decode()
    assert owner.post(f"/entries/comments/{by_linus.pk}/delete/", **htmx()).status_code == 200
    by_linus.refresh_from_db()
    assert by_linus.is_deleted and by_linus.deleted_by == world.ada


# --- reactions --------------------------------------------------------------------------------


def test_reacting_sends_the_state_wanted_and_answers_the_reactions(world):
    comment = _comment(world, world.linus, "React to me.")
    client = world.client(world.grace)

    added = client.post(_reactions(comment), {"emoji": "tada", "on": "1"}, **htmx())
    html = added.content.decode()
    assert added.status_code == 200 and "<html" not in html and '<div class="reactions"' not in html
    assert re.search(r'aria-pressed="true" aria-label="tada: 1" data-autofocus>🎉 <span>1</span>', html)
    assert '<input type="hidden" name="on" value="0">' in html  # the undo
    assert client.post(_reactions(comment), {"emoji": "🎉", "on": "1"}, **htmx()).status_code == 200  # repeated
    assert CommentReaction.objects.filter(comment=comment, user=world.grace, emoji="tada").count() == 1

    removed = client.post(_reactions(comment), {"emoji": "tada", "on": "0"}, **htmx())
    html = removed.content.decode()
    assert 'aria-label="tada' not in html
    assert '<summary class="reaction reaction--add" aria-label="Add a reaction" data-autofocus>' in html
    assert not CommentReaction.objects.exists()

    plain = client.post(_reactions(comment), {"emoji": "rocket", "on": "1"})
    assert plain.status_code == 302 and plain["Location"] == f"/entries/{world.learning.pk}/#comment-{comment.pk}"
    assert 'aria-label="rocket: 1"' in client.get(plain["Location"]).content.decode()


def test_refused_reactions_say_why_in_plain_text(world):
    comment = _comment(world, world.linus, "Hi.")
    client = world.client(world.grace)

    wrong_state = client.post(_reactions(comment), {"emoji": "tada"}, **htmx())
    assert (wrong_state.status_code, wrong_state.content.decode()) == (400, "Send on=1 or on=0.")
    unknown = client.post(_reactions(comment), {"emoji": "poop", "on": "1"}, **htmx())
    assert unknown.status_code == 400 and unknown["Content-Type"].startswith("text/plain")
    assert unknown.content.decode().startswith("'poop' is not an allowed reaction")
    discussion_services.comment_delete(actor=world.linus, comment_id=comment.pk)
    deleted = client.post(_reactions(comment), {"emoji": "tada", "on": "1"}, **htmx())
    assert (deleted.status_code, deleted.content.decode()) == (400, "This comment was deleted.")
    assert world.client().post(_reactions(comment), {"emoji": "tada", "on": "1"}).status_code == 302  # sign in
    assert not CommentReaction.objects.exists()
