"""The hub model: frozen, comparable, and the same after a trip through its JSON shape."""

from __future__ import annotations

import dataclasses
import json

import pytest

from nexus.hubs.readme import ParsedEntry, ParsedHub

HUB = ParsedHub(
    title="Nexus",
    overview="About me.",
    entries=(
        ParsedEntry("learning", "Key Technologies Covered", "Django", "Web framework", topics=("django",)),
        ParsedEntry("challenge", "Challenges", "Slow pages", "", "Slow pages", "Cached them", None, ("caching",)),
        ParsedEntry("note", "Collaboration", "Collaboration", "On Discord."),
    ),
    topics=("django", "caching"),
    warnings=("A warning.",),
)


def test_the_json_shape_is_exactly_the_documented_one():
    assert HUB.to_dict() == {
        "title": "Nexus",
        "overview": "About me.",
        "entries": [
            {
                "kind": "learning",
                "section": "Key Technologies Covered",
                "title": "Django",
                "body": "Web framework",
                "problem": None,
                "solution": None,
                "outcome": None,
                "topics": ["django"],
            },
            {
                "kind": "challenge",
                "section": "Challenges",
                "title": "Slow pages",
                "body": "",
                "problem": "Slow pages",
                "solution": "Cached them",
                "outcome": None,
                "topics": ["caching"],
            },
            {
                "kind": "note",
                "section": "Collaboration",
                "title": "Collaboration",
                "body": "On Discord.",
                "problem": None,
                "solution": None,
                "outcome": None,
                "topics": [],
            },
        ],
        "topics": ["django", "caching"],
        "warnings": ["A warning."],
    }


def test_from_dict_inverts_to_dict_through_json():
    assert ParsedHub.from_dict(json.loads(json.dumps(HUB.to_dict()))) == HUB


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match='Unknown entry kind "idea"'):
        ParsedEntry.from_dict({"kind": "idea"})


def test_hubs_are_frozen_and_compared_by_value():
    with pytest.raises(dataclasses.FrozenInstanceError):
        HUB.title = "Other"  # type: ignore[misc]

    assert ParsedHub.from_dict(HUB.to_dict()) == HUB
    assert HUB.without_warnings() == dataclasses.replace(HUB, warnings=())
    assert HUB.without_warnings() != HUB
