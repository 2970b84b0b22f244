from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from nexus.accounts.models import User
from nexus.cohorts.models import Membership
from nexus.discussions.models import Comment, CommentReaction
from nexus.hubs import readme
from nexus.hubs.models import Entry, EntryRevision, Hub

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[1] / "demo"


def _counts():
    return tuple(m.objects.count() for m in (User, Membership, Hub, Entry, EntryRevision, Comment, CommentReaction))


def test_demo_imports_the_team_readmes_idempotently(taxonomy):
    out = StringIO()
    call_command("demo", stdout=out)
    first = _counts()
    call_command("demo", stdout=StringIO())

    entries = sum(len(readme.parse(f.read_text()).entries) for f in DEMO.glob("*.md"))
    assert _counts() == first == (5, 5, 3, entries, entries, 2, 2)
    assert set(Entry.objects.values_list("kind", flat=True)) == set(Entry.Kind.values)
    assert set(Hub.objects.values_list("visibility", flat=True)) == {Hub.Visibility.COHORT}
    assert "nexus-demo-2026" in out.getvalue()
    assert User.objects.get(username="admin").is_staff
    assert User.objects.get(username="ada").check_password("nexus-demo-2026")
    assert Hub.objects.get(owner__username="linus").program.slug == "prodev-frontend"


def test_demo_comments_on_adas_first_challenge_once(taxonomy):
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())

    entry = Entry.objects.filter(hub__owner__username="ada", kind=Entry.Kind.CHALLENGE).order_by("position").first()
    question = Comment.objects.get(entry=entry, parent=None)
    reply = Comment.objects.get(entry=entry, parent=question)
    assert (question.author.username, reply.author.username) == ("grace", "ada")
    assert '<code class="language-yaml">' in reply.body_html
    reactions = question.reactions.order_by("emoji").values_list("emoji", "user__username")
    assert list(reactions) == [("bulb", "ada"), ("thumbsup", "mentor")]
