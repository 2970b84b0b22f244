"""Loading the taxonomy file into the database, and invalidating the recognizer."""

import textwrap
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from nexus.topics import selectors, services, taxonomy
from nexus.topics.models import Topic, TopicAlias
from nexus.topics.services import SyncResult
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory

SMALL = """
topics:
  - slug: django-orm          # before its parent: parents resolve in any order
    name: Django ORM
    kind: technology
    parent: django
  - slug: django
    name: Django
    kind: technology
    aliases: [Django framework]
    description: Python web framework.
  - slug: go
    name: Go
    kind: technology
    case_sensitive: true
    aliases: [Golang]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def state() -> list[tuple]:
    """Every topic with its fields and aliases, by slug."""
    return [
        (t.slug, t.name, t.kind, t.parent.slug if t.parent else None, t.description, t.case_sensitive,
         sorted(a.name for a in t.aliases.all()))
        for t in Topic.objects.select_related("parent").prefetch_related("aliases").order_by("slug")
    ]  # fmt: skip


def test_sync_creates_topics_parents_and_aliases(db, tmp_path):
    result = services.topics_sync(path=write(tmp_path, SMALL))

    assert result == SyncResult(created=3, updated=0, unchanged=0, not_in_file=[])
    assert state() == [
        ("django", "Django", "technology", None, "Python web framework.", False, ["Django framework"]),
        ("django-orm", "Django ORM", "technology", "django", "", False, []),
        ("go", "Go", "technology", None, "", True, ["Golang"]),
    ]


def test_sync_is_idempotent_and_writes_nothing_the_second_time(db, tmp_path, django_assert_num_queries):
    path = write(tmp_path, SMALL)
    services.topics_sync(path=path)
    before = list(Topic.objects.values_list("slug", "updated_at").order_by("slug"))

    # savepoint, topics, aliases, release: no INSERT, UPDATE or DELETE
    with django_assert_num_queries(4):
        result = services.topics_sync(path=path)

    assert result == SyncResult(created=0, updated=0, unchanged=3, not_in_file=[])
    assert list(Topic.objects.values_list("slug", "updated_at").order_by("slug")) == before


def test_sync_updates_fields_parent_and_replaces_aliases(db, tmp_path):
    services.topics_sync(path=write(tmp_path, SMALL))
    orm_before = Topic.objects.get(slug="django-orm").updated_at

    result = services.topics_sync(
        path=write(
            tmp_path,
            """
            topics:
              - slug: django-orm
                name: Django ORM
                kind: technology
                parent: django
              - slug: django
                name: Django
                kind: technology
                aliases: [Django 5, Django framework]
                description: Python web framework.
              - slug: go
                name: Go language
                kind: technology
                parent: django
            """,
        )
    )

    assert result == SyncResult(created=0, updated=2, unchanged=1, not_in_file=[])
    assert state() == [
        ("django", "Django", "technology", None, "Python web framework.", False, ["Django 5", "Django framework"]),
        ("django-orm", "Django ORM", "technology", "django", "", False, []),
        ("go", "Go language", "technology", "django", "", False, []),
    ]
    assert Topic.objects.get(slug="django-orm").updated_at == orm_before
    assert Topic.objects.get(slug="go").updated_at > orm_before


def test_topics_missing_from_the_file_are_reported_not_deleted(db, tmp_path):
    legacy = TopicFactory(slug="legacy", name="Legacy")
    TopicAliasFactory(topic=legacy, name="Old name")
    TopicFactory(slug="another", name="Another")

    result = services.topics_sync(path=write(tmp_path, SMALL))

    assert result == SyncResult(created=3, updated=0, unchanged=0, not_in_file=["another", "legacy"])
    assert Topic.objects.count() == 5
    assert list(legacy.aliases.values_list("name", flat=True)) == ["Old name"]


def test_sync_of_the_shipped_file(db):
    specs = taxonomy.read(taxonomy.DEFAULT_PATH)

    first = services.topics_sync()
    second = services.topics_sync()

    assert first == SyncResult(created=len(specs), updated=0, unchanged=0, not_in_file=[])
    assert second == SyncResult(created=0, updated=0, unchanged=len(specs), not_in_file=[])
    assert TopicAlias.objects.count() == sum(len(spec.aliases) for spec in specs)
    assert Topic.objects.get(slug="django-orm").parent.slug == "django"


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "topics: [",
            None,  # a YAML syntax error; its message comes from the parser
        ),
        ("- slug: django", ['The topics file {path} must be a mapping with a "topics" list.']),
        ("topics: {django: Django}", ['The topics file {path} must be a mapping with a "topics" list.']),
        (
            "topics: [django]",
            ["Topic #1 must be a mapping of slug, name, kind, parent, aliases, description, case_sensitive."],
        ),
        (
            "topics: [{slug: django, kind: tool, alias: [DRF]}]",
            ['Topic #1 "django": unknown key "alias".', 'Topic #1 "django": "name" is required.'],
        ),
        (
            "topics: [{name: Django, kind: technology, parent: 3, description: [x]}]",
            [
                'Topic #1: "slug" is required.',
                'Topic #1: "parent" must be a string.',
                'Topic #1: "description" must be a string.',
            ],
        ),
        (
            "topics: [{slug: django, name: Django, kind: technology, aliases: Django, case_sensitive: sometimes}]",
            [
                'Topic #1 "django": "aliases" must be a list of non-empty strings.',
                'Topic #1 "django": "case_sensitive" must be true or false.',
            ],
        ),
        (
            "topics: [{slug: django, name: Django, kind: technology, aliases: [yes, '  ']}]",
            ['Topic #1 "django": "aliases" must be a list of non-empty strings.'],
        ),
        (
            "topics: [{slug: Django ORM, name: Django ORM, kind: tool}]",
            [
                'Topic #1 "Django ORM": slug: Enter a valid “slug” consisting of letters, numbers, underscores '
                "or hyphens.",
                "Topic #1 \"Django ORM\": kind: Value 'tool' is not a valid choice.",
            ],
        ),
        (
            f"topics: [{{slug: django, name: Django, kind: technology, aliases: [{'x' * 121}]}}]",
            [f'Topic #1 "django": alias "{"x" * 121}": Ensure this value has at most 120 characters (it has 121).'],
        ),
        (
            """
            topics:
              - {slug: django, name: Django, kind: technology}
              - {slug: django, name: Django again, kind: technology}
            """,
            ['Topic #2 "django": the slug is already used by topic #1.'],
        ),
        (
            """
            topics:
              - {slug: postgresql, name: PostgreSQL, kind: technology, aliases: [Postgres, postgresql]}
              - {slug: pg, name: postgres, kind: technology, aliases: [PG, Post-Gres]}
              - {slug: nothing, name: "---", kind: concept}
            """,
            [
                'Topic #1 "postgresql": alias "postgresql" repeats another name or alias of the same topic.',
                'Topic #2 "pg": name "postgres" is already a name or alias of topic #1 "postgresql".',
                'Topic #3 "nothing": name "---" has no letter or digit to recognise.',
            ],
        ),
        (
            """
            topics:
              - {slug: a, name: A, kind: concept, parent: c}
              - {slug: b, name: B, kind: concept, parent: a}
              - {slug: c, name: C, kind: concept, parent: b}
              - {slug: d, name: D, kind: concept, parent: d}
              - {slug: e, name: E, kind: concept, parent: nowhere}
            """,
            [
                'Topic #5 "e": the parent "nowhere" is not a topic in the file.',
                "Parent cycle: a -> c -> b -> a.",
                "Parent cycle: d -> d.",
            ],
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_entry_and_nothing_changes(db, tmp_path, text, messages):
    TopicFactory(slug="kept", name="Kept")
    path = write(tmp_path, text)

    with pytest.raises(ValidationError) as raised:
        services.topics_sync(path=path)

    if messages is None:
        assert raised.value.messages[0].startswith(f"The topics file {path} is not valid YAML: ")
    else:
        assert raised.value.messages == [m.format(path=path) for m in messages]
    assert list(Topic.objects.values_list("slug", flat=True)) == ["kept"]


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(ValidationError) as raised:
        services.topics_sync(path=tmp_path / "nope.yaml")

    assert raised.value.messages == [
        f"Cannot read the topics file {tmp_path / 'nope.yaml'}: "
        f"[Errno 2] No such file or directory: '{tmp_path / 'nope.yaml'}'."
    ]


def test_sync_invalidates_the_recognizer_after_commit(db, tmp_path, django_capture_on_commit_callbacks):
    services.topics_sync(path=write(tmp_path, SMALL))
    assert selectors.recognizer().find("Go with Django, and Flask") == ["go", "django"]
    extended = SMALL + "  - {slug: flask, name: Flask, kind: technology}\n"

    with django_capture_on_commit_callbacks() as callbacks:
        services.topics_sync(path=write(tmp_path, extended))
        assert selectors.recognizer().find("Flask") == []  # not committed yet: still the old taxonomy

    flask = Topic.objects.get(slug="flask")
    assert callbacks[0] == services.recognizer_invalidate
    assert callbacks[1].keywords == {"source": "topic", "pks": [flask.pk]}  # search reindexes the new topic
    assert len(callbacks) == 2
    callbacks[0]()
    assert selectors.recognizer().find("Go with Django, and Flask") == ["go", "django", "flask"]


def test_a_refused_sync_schedules_nothing(db, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        services.topics_sync(path=write(tmp_path, "topics: [django]"))

    assert callbacks == []


def test_recognizer_invalidate_bumps_the_version_or_starts_one(db):
    services.recognizer_invalidate()
    first = cache.get(selectors.RECOGNIZER_VERSION_KEY)
    services.recognizer_invalidate()

    assert first is not None
    assert cache.get(selectors.RECOGNIZER_VERSION_KEY) == first + 1
