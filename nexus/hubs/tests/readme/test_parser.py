"""parse: total, structured, and lossless on inputs of every kind."""

from __future__ import annotations

import random

import pytest

from nexus.hubs.readme import ParsedEntry, ParsedHub, parse, render, word_coverage
from nexus.topics.recognizer import Recognizer


def test_an_empty_text_gives_an_empty_hub():
    assert parse("") == ParsedHub()


@pytest.mark.parametrize("seed", range(5))
def test_binary_garbage_is_read_without_raising(seed):
    noise = bytes(random.Random(seed).randrange(256) for _ in range(5000)).decode("utf-8", "surrogateescape")

    hub = parse(noise)

    assert not any("could not be read" in warning for warning in hub.warnings)
    assert parse(render(hub)).without_warnings() == hub.without_warnings()


def test_bytes_are_read_as_utf8():
    assert parse(b"# Nexus\n\n## Key Technologies\n- Django").entries == (
        ParsedEntry("learning", "Key Technologies", "Django"),
    )


def test_a_huge_readme_is_read_in_one_piece():
    items = "".join(f"- **Tool {i}**: used daily\n" for i in range(2000))
    text = "# Big\n\n" + "".join(f"## Key Technologies Covered, part {part}\n\n{items}" for part in range(25))

    hub = parse(text)

    assert sum(1 for entry in hub.entries if entry.kind == "learning") == 50_000
    assert word_coverage(text, render(hub)) == 1.0


def test_the_title_is_the_first_h1_even_after_another_heading():
    hub = parse("## ALX PRODEV FRONTEND\n\n# Project Nexus\n\nIntro.")

    assert (hub.title, hub.overview) == ("Project Nexus", "Intro.")
    assert hub.entries == (ParsedEntry("note", "ALX PRODEV FRONTEND", "ALX PRODEV FRONTEND"),)


def test_without_an_h1_the_title_is_the_first_line():
    assert parse("My Nexus Notes\nOverview\nWhat this is.").title == "My Nexus Notes"


def test_a_first_line_naming_a_section_is_no_title():
    hub = parse("Repository Structure\nsrc/\n\nProject Nexus Documentation\nOverview\nWhat this is.")

    assert (hub.title, hub.overview) == ("Project Nexus Documentation", "## Overview\n\nWhat this is.")
    assert hub.entries == (ParsedEntry("note", "Repository Structure", "Repository Structure", "src/"),)


def test_the_overview_joins_the_text_before_sections_and_the_first_overview_sections():
    hub = parse("# T\n\nHello.\n\n## Overview\n\nFirst.\n\n## 🚀 ProDev Backend Engineering Program\n\nSecond.")

    assert hub.overview == "Hello.\n\n## Overview\n\nFirst.\n\n## 🚀 ProDev Backend Engineering Program\n\nSecond."


def test_nested_knowledge_sections_keep_their_parents_names():
    hub = parse("# T\n## Major Learnings\n### Key Technologies Covered\n- Django\n### Important Concepts\n- Caching")

    assert [(entry.section, entry.title) for entry in hub.entries] == [
        ("Major Learnings › Key Technologies Covered", "Django"),
        ("Major Learnings › Important Concepts", "Caching"),
    ]


def test_notes_are_kept_whole_with_their_nested_headings():
    hub = parse("# T\n## Getting Started\n### Install\n`pip install`\n### Run\n`manage.py runserver`")

    assert hub.entries == (
        ParsedEntry(
            "note", "Getting Started", "Getting Started", "### Install\n`pip install`\n### Run\n`manage.py runserver`"
        ),
    )


def test_unknown_sections_are_notes_with_a_warning():
    hub = parse("# T\n## Weekly Breakdown\nWeek 1.")

    assert hub.entries == (ParsedEntry("note", "Weekly Breakdown", "Weekly Breakdown", "Week 1."),)
    assert hub.warnings == ('Section "Weekly Breakdown" is not a known README section; kept as a note.',)


def test_topics_come_from_the_recognizer_per_entry_and_for_the_hub():
    recognizer = Recognizer([("Django", "django", False), ("Celery", "celery", False), ("Redis", "redis", False)])
    text = "# T\n## Key Technologies\n- **Celery**: tasks with Redis\n- Django\n## Collaboration\nDjango meetups."

    hub = parse(text, recognizer=recognizer)

    assert [entry.topics for entry in hub.entries] == [("celery", "redis"), ("django",), ("django",)]
    assert hub.topics == ("celery", "redis", "django")
    assert parse(text).topics == ()
    assert all(entry.topics == () for entry in parse(text).entries)


def test_challenges_always_have_a_problem():
    hub = parse("# T\n## Challenges and Solutions\n### Scaling\n### Caching\nWe cached it.")

    assert [(entry.title, entry.problem, entry.body) for entry in hub.entries] == [
        ("Scaling", "Scaling", ""),
        ("Caching", "Caching", "We cached it."),
    ]


def test_a_table_keeps_its_delimiter_row_even_without_a_pipe():
    text = "# T\n## Key Technologies\nPython |\n--"

    hub = parse(text)

    assert hub.entries == (ParsedEntry("note", "Key Technologies", "Key Technologies", "Python |\n--"),)
    assert parse(render(hub)).entries == hub.entries
