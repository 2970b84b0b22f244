"""`manage.py topics sync` and `manage.py topics find`."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nexus.topics import taxonomy
from nexus.topics.models import Topic
from nexus.topics.tests.factories import TopicFactory


def run(*args: str) -> str:
    out = StringIO()
    call_command("topics", *args, stdout=out)
    return out.getvalue()


def test_sync_loads_the_shipped_file_then_changes_nothing(db):
    count = len(taxonomy.read(taxonomy.DEFAULT_PATH))

    first = run("sync")
    second = run("sync")

    assert first == f"Topics: {count} created, 0 updated, 0 unchanged, 0 in the database but not in the file.\n"
    assert second == f"Topics: 0 created, 0 updated, {count} unchanged, 0 in the database but not in the file.\n"
    assert Topic.objects.count() == count


def test_sync_a_given_file_and_report_topics_not_in_it(db, tmp_path):
    TopicFactory(slug="legacy", name="Legacy")
    TopicFactory(slug="cobol", name="COBOL")
    path = tmp_path / "topics.yaml"
    path.write_text("topics:\n  - {slug: django, name: Django, kind: technology}\n", encoding="utf-8")

    output = run("sync", "--file", str(path))

    assert output == (
        "Topics: 1 created, 0 updated, 0 unchanged, 2 in the database but not in the file.\n"
        "Not in the file (kept): cobol, legacy\n"
    )


def test_sync_a_bad_file_fails_with_every_problem(db, tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text("topics:\n  - {slug: a, name: A, kind: tool}\n  - {slug: b, kind: concept}\n", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run("sync", "--file", str(path))

    assert str(raised.value) == (
        "The taxonomy file is not valid:\n"
        "  Topic #1 \"a\": kind: Value 'tool' is not a valid choice.\n"
        '  Topic #2 "b": "name" is required.'
    )
    assert Topic.objects.count() == 0


def test_sync_a_missing_file_fails(db, tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read the topics file .*nope\.yaml"):
        run("sync", "--file", str(tmp_path / "nope.yaml"))


def test_find_prints_one_slug_per_line(taxonomy):
    output = run("find", "Django REST Framework (DRF) on Postgres,", "with CI/CD and Django")

    assert output == "drf\npostgresql\nci-cd\ndjango\n"


def test_find_prints_nothing_when_no_topic_is_named(taxonomy):
    assert run("find", "nothing to see") == ""


def test_a_subcommand_is_required(db):
    with pytest.raises(CommandError) as raised:
        run()

    assert str(raised.value) == "Error: the following arguments are required: {sync,find}"
