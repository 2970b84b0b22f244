"""Search behaviour. Every assertion here holds on both backends: that is the parity contract.

Contract: for the same data and query, PostgreSQL and SQLite return the same set of hits, the
same facet counts and the same corrections. Order is only asserted where the ranking rules
decide it (a title match above a body match); between documents the rules leave equal, the
two engines' scores (ts_rank, bm25) may order differently.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection

from nexus.hubs.access import entries_visible_to, hubs_visible_to, search_visible_q
from nexus.hubs.models import Entry
from nexus.search import selectors, services
from nexus.search.models import SearchDocument
from nexus.search.tests.conftest import make_entry

pytestmark = pytest.mark.django_db


def found(actor, q, **filters) -> set[tuple[str, int]]:
    """Every (type, id) the actor finds, through all pages."""
    result = selectors.search(actor=actor, q=q, limit=100, **filters)
    assert result.next_cursor is None
    return {(h.source, h.id) for h in result.hits}


def entries(*items: Entry) -> set[tuple[str, int]]:
    return {("entry", e.pk) for e in items}


def test_finds_by_title_body_and_problem(world):
    anonymous = AnonymousUser()

    assert found(anonymous, "signals") == entries(world.public_entry)
    assert found(anonymous, "wire apps") == entries(world.public_entry)
    assert found(anonymous, "rabbitmq") == entries(world.challenge)
    assert found(anonymous, "heartbeat") == entries(world.challenge)


def test_finds_by_topic_name_and_alias(world):
    """Tagged postgresql, text never names it: found by the topic's name and its alias."""
    anonymous = AnonymousUser()

    assert found(anonymous, "Postgres", kind="learning") == entries(world.postgres_entry)
    assert found(anonymous, "postgresql kestrel") == entries(world.postgres_entry)


def test_stemming_matches_other_forms_of_a_word(world):
    assert found(AnonymousUser(), "hang task") == entries(world.challenge)


def test_corrects_typos_to_indexed_words(world):
    anonymous = AnonymousUser()

    result = selectors.search(actor=anonymous, q="Djagno signals")
    assert result.corrections == {"djagno": ["django"]}
    assert {h.id for h in result.hits} == {world.public_entry.pk}
    assert found(anonymous, "celerry") == entries(world.challenge)
    assert found(anonymous, "rabitmq kestrel") == entries(world.challenge)


def test_known_words_are_not_corrected(world):
    result = selectors.search(actor=AnonymousUser(), q="signals django")
    assert result.corrections == {}


def test_websearch_syntax(world):
    anonymous = AnonymousUser()
    everything_public = entries(world.public_entry, world.challenge, world.postgres_entry) | {
        ("hub", world.public_hub.pk)
    }

    assert found(anonymous, "kestrel") == everything_public
    assert found(anonymous, '"workers stuck"') == entries(world.challenge)
    assert found(anonymous, '"stuck workers"') == set()
    assert found(anonymous, "kestrel -celery -signals") == entries(world.postgres_entry) | {
        ("hub", world.public_hub.pk)
    }
    assert found(anonymous, 'kestrel -"workers stuck"') == everything_public - entries(world.challenge)
    assert found(anonymous, "signals OR heartbeat") == entries(world.public_entry, world.challenge)
    assert found(anonymous, "signals wire OR heartbeat broker") == entries(world.public_entry, world.challenge)
    assert found(anonymous, "signals heartbeat") == set()


def test_stop_words_and_exclusion_only_queries(world):
    anonymous = AnonymousUser()

    assert found(anonymous, "the signals of a django") == entries(world.public_entry)
    assert found(anonymous, "-kestrel") == set()
    assert found(anonymous, "the") == set()
    assert found(anonymous, "   ") == set()


def test_title_match_ranks_above_body_match(world):
    # given: "zephyr" in one entry's title, twice in another's body, once in a challenge problem
    in_body = make_entry(hub=world.public_hub, title="Deploy notes", body="Zephyr here. Then zephyr again.")
    in_title = make_entry(hub=world.public_hub, title="Zephyr configuration", body="How it works.")
    in_problem = make_entry(
        factory=_challenge_factory(), hub=world.public_hub, title="Outage", body="", problem="Zephyr went down."
    )
    services.index_objects(source="entry", pks=[in_body.pk, in_title.pk, in_problem.pk])

    # when
    hits = selectors.search(actor=AnonymousUser(), q="zephyr").hits

    # then
    assert [h.id for h in hits] == [in_title.pk, in_problem.pk, in_body.pk]
    assert hits[0].score > hits[1].score > hits[2].score


def _challenge_factory():
    from nexus.hubs.tests.factories import ChallengeFactory

    return ChallengeFactory


def test_highlights_are_escaped_with_marks(world):
    entry = make_entry(
        hub=world.public_hub, title="<script>alert(1)</script> Quokka & co", body="Use `<b>` with a quokka."
    )
    services.index_object(source="entry", pk=entry.pk)

    [hit] = selectors.search(actor=AnonymousUser(), q="quokka").hits

    assert hit.title == "<script>alert(1)</script> Quokka & co"
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Quokka</mark> &amp; co"
    assert "<mark>quokka</mark>" in hit.snippet_html
    assert "&lt;b&gt;" in hit.snippet_html
    assert "<b>" not in hit.snippet_html
    assert hit.url == f"/api/v1/entries/{entry.pk}/"
    assert (hit.source, hit.kind) == ("entry", "learning")


def test_challenges_have_their_own_kind_and_problem_snippet(world):
    [hit] = selectors.search(actor=AnonymousUser(), q="rabbitmq").hits

    assert hit.kind == "challenge"
    # PostgreSQL's fragments end at a word, SQLite's keep the full stop
    assert hit.snippet_html.startswith("Celery tasks hanging behind <mark>RabbitMQ</mark>")


def test_facet_counts_are_exact(world):
    result = selectors.search(actor=world.owner, q="kestrel")

    assert result.total == 7
    assert result.facets == {
        "kind": [("learning", 4), ("hub", 2), ("challenge", 1)],
        "topic": [("django", 1), ("postgresql", 1)],
        "cohort": [("be-3", 7)],
        "track": [("backend", 7)],
        "author": [("ada", 5), ("linus", 2)],
    }


def test_filters(world):
    owner = world.owner

    assert found(owner, "kestrel", kind="challenge") == entries(world.challenge)
    assert found(owner, "kestrel", kind="hub") == {("hub", world.public_hub.pk), ("hub", world.cohort_hub.pk)}
    assert found(owner, "kestrel", topic="django") == entries(world.public_entry)
    assert found(owner, "kestrel", author="LINUS") == entries(world.cohort_entry) | {("hub", world.cohort_hub.pk)}
    assert found(owner, "kestrel", cohort="be-4") == set()
    assert found(owner, "kestrel", track="frontend") == set()
    assert len(found(owner, "kestrel", cohort="be-3", track="backend")) == 7


def test_topic_filter_includes_subtopics(world):
    from nexus.topics.tests.factories import TopicFactory

    orm = TopicFactory(slug="django-orm", name="Django ORM", parent=world.public_entry.topics.get())
    world.postgres_entry.topics.add(orm)
    services.index_object(source="entry", pk=world.postgres_entry.pk)

    assert found(AnonymousUser(), "kestrel", topic="django") == entries(world.public_entry, world.postgres_entry)


def test_members_and_topics_are_found(world):
    world.owner.profile.display_name = "Ada Lovelace"
    world.owner.profile.bio = "Writes about analytical engines."
    world.owner.profile.save()
    services.index_objects(source="member", pks=[world.owner.pk])
    services.index_objects(source="topic", pks=list(world.postgres_entry.topics.values_list("pk", flat=True)))

    assert found(AnonymousUser(), "analytical engines") == {("member", world.owner.pk)}
    assert found(AnonymousUser(), "lovelace") == {("member", world.owner.pk)}
    [topic] = world.postgres_entry.topics.all()
    assert found(AnonymousUser(), "postgres", kind="topic") == {("topic", topic.pk)}


def test_pages_through_every_hit_once(world):
    # given: 23 public entries that all match
    extra = [make_entry(hub=world.public_hub, title=f"Wombat {i}", body="wombat " * (i % 4)) for i in range(23)]
    services.index_objects(source="entry", pks=[e.pk for e in extra])

    # when
    seen, cursor, pages = [], None, 0
    while pages < 10:
        result = selectors.search(actor=AnonymousUser(), q="wombat", cursor=cursor, limit=5)
        seen += [h.id for h in result.hits]
        pages += 1
        cursor = result.next_cursor
        if cursor is None:
            break

    # then
    assert pages == 5
    assert sorted(seen) == sorted(e.pk for e in extra)
    assert result.total == 23


def test_rejects_a_malformed_cursor(world):
    with pytest.raises(ValidationError) as exc:
        selectors.search(actor=AnonymousUser(), q="kestrel", cursor="not-a-cursor")
    assert exc.value.message_dict == {"cursor": ["Invalid cursor."]}


VISIBLE = {
    # actor: what "kestrel" finds besides the public hub and its three published entries
    "anonymous": set(),
    "owner": {"public_draft", "cohort_hub", "cohort_entry"},
    "classmate": {"cohort_hub", "cohort_entry"},
    "stranger": {"private_hub", "private_entry"},
    "staff": {"cohort_hub", "cohort_entry"},
}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_nobody_finds_what_they_may_not_read(world, who):
    actor = AnonymousUser() if who == "anonymous" else getattr(world, who)
    public = entries(world.public_entry, world.challenge, world.postgres_entry) | {("hub", world.public_hub.pk)}
    expected = public | {("hub" if name.endswith("hub") else "entry", getattr(world, name).pk) for name in VISIBLE[who]}

    result = selectors.search(actor=actor, q="kestrel", limit=100)

    assert {(h.source, h.id) for h in result.hits} == expected
    assert result.total == len(expected)
    assert sum(n for _, n in result.facets["kind"]) == len(expected)
    assert dict(result.facets["author"]) == {
        author: sum(1 for source, pk in expected if _author(world, source, pk) == author)
        for author in {_author(world, source, pk) for source, pk in expected}
    }


def _author(world, source, pk):
    model = Entry if source == "entry" else type(world.public_hub)
    obj = model.objects.get(pk=pk)
    return (obj.hub.owner if source == "entry" else obj.owner).username


@pytest.mark.parametrize("who", list(VISIBLE))
def test_document_visibility_follows_the_hub_rules(world, who):
    """search_visible_q on documents agrees with entries_visible_to and hubs_visible_to."""
    actor = AnonymousUser() if who == "anonymous" else getattr(world, who)
    visible = SearchDocument.objects.filter(search_visible_q(actor))

    assert set(visible.filter(source="entry").values_list("object_id", flat=True)) == set(
        entries_visible_to(actor).values_list("pk", flat=True)
    )
    assert set(visible.filter(source="hub").values_list("object_id", flat=True)) == set(
        hubs_visible_to(actor).values_list("pk", flat=True)
    )


def test_query_counts(world, django_assert_num_queries):
    # correction candidates, hits, facets
    with django_assert_num_queries(3):
        selectors.search(actor=world.owner, q="kestrel signals")
    # nothing long enough to correct: hits, facets
    with django_assert_num_queries(2):
        selectors.search(actor=world.owner, q="ada")
    # a topic filter loads the taxonomy's tree once
    with django_assert_num_queries(4):
        selectors.search(actor=AnonymousUser(), q="kestrel", topic="django")


def test_runs_on_the_configured_backend():
    from nexus.search.backends import backend_for

    assert backend_for().vendor == connection.vendor


def test_head_matches_rank_above_other_matches(world):
    # given: both words in one entry's title; in another, one word only in the body, many times
    head = make_entry(hub=world.public_hub, title="Pelican caching", body="Short.")
    mixed = make_entry(hub=world.public_hub, title="Pelican notes", body="Caching, caching and more caching.")
    services.index_objects(source="entry", pks=[head.pk, mixed.pk])

    # when
    hits = selectors.search(actor=AnonymousUser(), q="pelican caching").hits

    # then
    assert [h.id for h in hits] == [head.pk, mixed.pk]
    assert hits[0].score >= 1.0 > hits[1].score > 0


def _index_in_order(entries: list[Entry]) -> None:
    """One by one, so the documents' ids follow the list (newest last)."""
    for entry in entries:
        services.index_object(source="entry", pk=entry.pk)


def test_more_matches_than_candidates_rank_the_newest_head_matches(world, settings):
    # given: four entries with "heron" in the title, then two with it only in the body
    settings.SEARCH_CANDIDATES = 3
    titled = [make_entry(hub=world.public_hub, title=f"Heron {i}", body="Birds.") for i in range(4)]
    bodied = [make_entry(hub=world.public_hub, title=f"Note {i}", body="A heron flew by.") for i in range(2)]
    _index_in_order(titled + bodied)

    # when
    first = selectors.search(actor=AnonymousUser(), q="heron", limit=2)
    second = selectors.search(actor=AnonymousUser(), q="heron", limit=2, cursor=first.next_cursor)

    # then: the three newest head matches are ranked, counted and faceted, and paging ends there
    assert first.capped is second.capped is True
    assert first.total == 3
    assert first.facets["kind"] == [("learning", 3)]
    assert first.facets["author"] == [("ada", 3)]
    assert {h.id for h in first.hits + second.hits} == {e.pk for e in titled[1:]}
    assert len(first.hits) == 2
    assert second.next_cursor is None


def test_candidates_fill_up_with_other_matches_newest_first(world, settings):
    settings.SEARCH_CANDIDATES = 3
    titled = make_entry(hub=world.public_hub, title="Ibis", body="Birds.")
    bodied = [make_entry(hub=world.public_hub, title=f"Note {i}", body="An ibis flew by.") for i in range(3)]
    _index_in_order([titled, *bodied])

    result = selectors.search(actor=AnonymousUser(), q="ibis")

    assert result.capped is True
    assert result.hits[0].id == titled.pk
    assert {h.id for h in result.hits} == {titled.pk, bodied[1].pk, bodied[2].pk}


def test_every_match_is_counted_when_they_fit(world, settings):
    settings.SEARCH_CANDIDATES = 4
    extra = [make_entry(hub=world.public_hub, title=f"Heron {i}", body="Birds.") for i in range(4)]
    services.index_objects(source="entry", pks=[e.pk for e in extra])

    result = selectors.search(actor=AnonymousUser(), q="heron")

    assert (result.total, result.capped, len(result.hits)) == (4, False, 4)


def test_exclusions_apply_to_head_matches(world):
    # given: "kestrel" is in every title; "celery" only in the challenge's problem
    result = selectors.search(actor=world.owner, q="kestrel -celery", limit=100)

    assert world.challenge.pk not in {h.id for h in result.hits}
    assert result.total == 6
