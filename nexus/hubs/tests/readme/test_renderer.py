"""render: a clean README in the convention, in a fixed order, that parse reads back."""

from __future__ import annotations

from nexus.hubs.readme import ParsedEntry, ParsedHub, parse, render

HUB = ParsedHub(
    title="Nexus",
    overview="About me.",
    entries=(
        ParsedEntry("note", "Collaboration", "Collaboration", "On Discord."),
        ParsedEntry("practice", "Best Practices", "Test early", ""),
        ParsedEntry(
            "challenge", "Challenges and Solutions", "Slow pages", "", "Pages took 4 s.", "- Cached them", "1 s"
        ),
        ParsedEntry("learning", "Important Backend Concepts", "Caching", "Keep hot data close."),
        ParsedEntry("learning", "Key Technologies Covered", "Django", "Web framework."),
        ParsedEntry("note", "Key Technologies Covered", "Key Technologies Covered", "What I used:"),
    ),
    warnings=("Not rendered.",),
)


def test_sections_come_in_the_fixed_order_with_notes_last():
    assert render(HUB) == (
        "# Nexus\n"
        "\n"
        "About me.\n"
        "\n"
        "---\n"
        "\n"
        "## Key Technologies Covered\n"
        "\n"
        "What I used:\n"
        "\n"
        "### Django\n"
        "\n"
        "Web framework.\n"
        "\n"
        "## Important Backend Concepts\n"
        "\n"
        "### Caching\n"
        "\n"
        "Keep hot data close.\n"
        "\n"
        "## Challenges and Solutions\n"
        "\n"
        "### Slow pages\n"
        "\n"
        "**Problem:** Pages took 4 s.\n"
        "\n"
        "**Solution:**\n"
        "\n"
        "- Cached them\n"
        "\n"
        "**Outcome:** 1 s\n"
        "\n"
        "## Best Practices\n"
        "\n"
        "### Test early\n"
        "\n"
        "## Collaboration\n"
        "\n"
        "On Discord.\n"
    )


def test_parse_gives_the_rendered_hub_back_in_rendering_order():
    again = parse(render(HUB))

    assert [entry.title for entry in again.entries] == [
        "Key Technologies Covered",
        "Django",
        "Caching",
        "Slow pages",
        "Test early",
        "Collaboration",
    ]
    assert again.without_warnings() == ParsedHub("Nexus", "About me.", again.entries)
    assert set(again.entries) == set(HUB.entries)


def test_lines_that_would_read_as_structure_are_escaped_and_read_back():
    hub = ParsedHub(
        title="Nexus",
        entries=(
            ParsedEntry("learning", "Key Technologies Covered", "Django", "## Not a section\n```\nopen fence"),
            ParsedEntry("challenge", "Challenges", "Slow", "", "Slow.\nSolution: not a label", None),
        ),
    )

    rendered = render(hub)

    assert "\\## Not a section\n\\```\nopen fence" in rendered
    assert "**Problem:** Slow.\n\\Solution: not a label" in rendered
    assert parse(rendered).entries == hub.entries


def test_fences_of_the_overview_never_pair_up_around_its_headings():
    hub = ParsedHub(
        title="Nexus",
        overview="```\n\n## Overview\n\n```",
        entries=(ParsedEntry("note", "Python", "Python"), ParsedEntry("note", "Python › Overview", "Overview")),
    )

    rendered = render(hub)

    assert "\\```\n\n## Overview\n\n\\```" in rendered
    assert parse(rendered).without_warnings() == hub


def test_a_challenge_whose_problem_is_its_title_still_shows_the_label():
    hub = ParsedHub(entries=(ParsedEntry("challenge", "Challenges", "Time constraint", "", "Time constraint"),))

    assert render(hub) == "#\n\n## Challenges\n\n### Time constraint\n\n**Problem:** Time constraint\n"


def test_rendering_is_deterministic_and_needs_no_title():
    assert render(ParsedHub()) == "#\n"
    assert render(HUB) == render(ParsedHub.from_dict(HUB.to_dict()))
