"""The index stays current: after writes through the services (once committed), deletes and reindex."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction

from nexus.accounts import services as account_services
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.hubs import services as hub_services
from nexus.hubs.models import Hub
from nexus.knowledge.models import ProblemLink
from nexus.search import selectors, services
from nexus.search.models import SearchDocument, SearchDocumentTopic, SearchTerm
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def found(actor, q) -> set[tuple[str, int]]:
    return {(h.source, h.id) for h in selectors.search(actor=actor, q=q, limit=100).hits}


@pytest.fixture
def ada(db):
    membership = MembershipFactory(user=UserFactory(username="ada"))
    return membership.user, membership.cohort.program


def test_entry_is_searchable_after_commit_not_before(ada, django_capture_on_commit_callbacks):
    user, program = ada
    with django_capture_on_commit_callbacks(execute=True):
        hub_services.hub_create(actor=user, program=program.slug, title="Ada's hub", visibility="public")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hub = Hub.objects.get(owner=user)
        entry = hub_services.entry_create(
            actor=user, hub=hub.pk, kind="learning", title="Narwhal caching", body="Redis in front.", status="published"
        )
        assert found(AnonymousUser(), "narwhal") == set()
    for callback in callbacks:
        callback()

    assert found(AnonymousUser(), "narwhal") == {("entry", entry.pk)}


def test_update_reindexes_text_status_and_topics(ada, django_capture_on_commit_callbacks):
    user, program = ada
    TopicFactory(slug="redis", name="Redis")
    with django_capture_on_commit_callbacks(execute=True):
        hub = hub_services.hub_create(actor=user, program=program.slug, title="Hub", visibility="public")
        entry = hub_services.entry_create(
            actor=user, hub=hub.pk, kind="learning", title="Narwhal", body="About caching.", topics=[]
        )
    assert found(AnonymousUser(), "narwhal") == set()  # a draft
    assert found(user, "narwhal") == {("entry", entry.pk)}  # ...that its author finds

    with django_capture_on_commit_callbacks(execute=True):
        hub_services.entry_update(
            actor=user, entry_id=entry.pk, data={"title": "Orca", "status": "published", "topics": ["redis"]}
        )

    assert found(AnonymousUser(), "narwhal") == set()
    assert found(AnonymousUser(), "orca") == {("entry", entry.pk)}
    assert found(AnonymousUser(), "redis") == {("entry", entry.pk)}  # by its topic's name
    assert list(SearchDocumentTopic.objects.values_list("slug", flat=True)) == ["redis"]


def test_challenge_import_as_kind_challenge(ada, django_capture_on_commit_callbacks):
    user, program = ada
    with django_capture_on_commit_callbacks(execute=True):
        hub = hub_services.hub_create(actor=user, program=program.slug, title="Hub", visibility="public")
        entry = hub_services.entry_create(
            actor=user,
            hub=hub.pk,
            kind="challenge",
            title="Workers",
            problem="Tasks **hanging** behind the broker.",
            solution="A heartbeat.",
            status="published",
        )

    hits = selectors.search(actor=AnonymousUser(), q="hanging broker").hits
    problem = ProblemLink.objects.get(entry=entry).problem  # linked after commit, and indexed too
    assert {(h.source, h.id, h.kind) for h in hits} == {
        ("entry", entry.pk, "challenge"),
        ("problem", problem.pk, "problem"),
    }


def test_hub_visibility_change_reaches_its_entries(ada, django_capture_on_commit_callbacks):
    user, program = ada
    with django_capture_on_commit_callbacks(execute=True):
        hub = hub_services.hub_create(actor=user, program=program.slug, title="Hub", visibility="public")
        entry = hub_services.entry_create(actor=user, hub=hub.pk, kind="note", title="Narwhal", status="published")
    assert found(AnonymousUser(), "narwhal") == {("entry", entry.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        hub_services.hub_update(actor=user, hub=hub.pk, data={"visibility": "private"})

    assert found(AnonymousUser(), "narwhal") == set()
    assert found(user, "narwhal") == {("entry", entry.pk)}


def test_delete_removes_documents_with_cascades(ada, django_capture_on_commit_callbacks):
    user, program = ada
    with django_capture_on_commit_callbacks(execute=True):
        hub = hub_services.hub_create(actor=user, program=program.slug, title="Narwhal hub", visibility="public")
        first = hub_services.entry_create(actor=user, hub=hub.pk, kind="note", title="Narwhal 1", status="published")
        hub_services.entry_create(actor=user, hub=hub.pk, kind="note", title="Narwhal 2", status="published")
    assert SearchDocument.objects.filter(source__in=["hub", "entry"]).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        hub_services.entry_delete(actor=user, entry_id=first.pk)
    assert len(found(AnonymousUser(), "narwhal")) == 2

    with django_capture_on_commit_callbacks(execute=True):
        hub_services.hub_delete(actor=user, hub=hub.pk)
    assert found(AnonymousUser(), "narwhal") == set()
    assert SearchDocument.objects.filter(source__in=["hub", "entry"]).count() == 0


def test_a_rolled_back_write_is_never_indexed(ada, django_capture_on_commit_callbacks):
    user, program = ada
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                hub_services.hub_create(actor=user, program=program.slug, title="Narwhal", visibility="public")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert callbacks == []
    assert SearchDocument.objects.count() == 0


def test_members_are_indexed_on_register_and_profile_change(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = account_services.user_register(
            username="kofi", email="kofi@example.com", password="a-long-passphrase", display_name="Kofi Mensah"
        )
    assert found(AnonymousUser(), "mensah") == {("member", user.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        account_services.profile_update(user=user, data={"bio": "Loves GraphQL subscriptions."})

    assert found(AnonymousUser(), "subscriptions") == {("member", user.pk)}


def test_an_inactive_member_is_removed_on_reindex(db):
    user = UserFactory(username="kofi")
    services.index_object(source="member", pk=user.pk)
    assert SearchDocument.objects.filter(source="member").count() == 1

    user.is_active = False
    user.save()
    services.index_object(source="member", pk=user.pk)

    assert SearchDocument.objects.filter(source="member").count() == 0


def test_topic_sync_indexes_topics_and_their_aliases(taxonomy, django_capture_on_commit_callbacks):
    services.reindex_all()

    assert ("topic", _topic_pk("drf")) in found(AnonymousUser(), "django rest framework")
    assert found(AnonymousUser(), "golang") == {("topic", _topic_pk("go"))}


def _topic_pk(slug: str) -> int:
    from nexus.topics.models import Topic

    return Topic.objects.get(slug=slug).pk


def test_reindex_command_rebuilds_documents_and_vocabulary(ada, capsys):
    from nexus.hubs.tests.factories import EntryFactory, HubFactory

    user, program = ada
    entry = EntryFactory(hub=HubFactory(owner=user, program=program), title="Narwhal", body_html="<p>Tusks.</p>")
    SearchDocument.objects.create(source="entry", object_id=999_999, kind="note", title="Gone", url="/x/")

    call_command("search", "reindex")

    assert capsys.readouterr().out == "Indexed: 1 entry, 1 hub, 0 topic, 1 member, 0 problem, 0 api.\n"
    assert set(SearchDocument.objects.values_list("source", "object_id")) == {
        ("entry", entry.pk),
        ("hub", entry.hub_id),
        ("member", user.pk),
    }
    assert SearchTerm.objects.filter(term="narwhal").exists()
    assert found(AnonymousUser(), "tusks") == {("entry", entry.pk)}


def test_reindex_command_rejects_an_unknown_source(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("search", "reindex", "--source", "message")
    assert str(exc.value) == "Unknown source(s): message; known: entry, hub, topic, member, problem, api."


def test_index_failure_is_logged_not_raised(db, caplog, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("index down")

    monkeypatch.setattr(services, "index_object", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_index("entry", 1)

    assert [r.getMessage() for r in caplog.records] == ["search indexing failed"]


def test_a_readme_import_is_searchable_after_commit(ada, taxonomy, django_capture_on_commit_callbacks):
    user, program = ada
    markdown = "# Ada\n\n## Challenges\n\n**Problem:** Quetzal workers froze.\n**Solution:** Restarted them.\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = hub_services.hub_import_readme(actor=user, markdown=markdown, program=program.slug)
        hub_services.hub_update(actor=user, hub=result.hub.pk, data={"visibility": "public"})

    [entry] = result.hub.entries.all()
    problem = ProblemLink.objects.get(entry=entry).problem
    assert found(AnonymousUser(), "quetzal") == {("entry", entry.pk), ("problem", problem.pk)}


def test_query_command_says_when_the_count_is_a_lower_bound(ada, capsys, settings):
    from nexus.hubs.tests.factories import EntryFactory, HubFactory

    user, program = ada
    hub = HubFactory(owner=user, program=program, visibility="public")
    for i in range(3):
        EntryFactory(hub=hub, title=f"Narwhal {i}", body_html="<p>Tusks.</p>")
    services.reindex_all()
    settings.SEARCH_CANDIDATES = 2

    call_command("search", "query", "narwhal")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "at least 2 found"
    assert len(lines) == 3
