"""What a README parses into: a hub (title, overview, typed entries), as frozen, comparable dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

Kind = Literal["learning", "challenge", "practice", "note"]
KINDS: tuple[str, ...] = ("learning", "challenge", "practice", "note")

# Joins the headings of nested sections in `ParsedEntry.section` ("Major Learnings › Key Technologies").
SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class ParsedEntry:
    """One piece of knowledge from a README: a learning, a challenge, a practice or a note.

    `problem`, `solution` and `outcome` are None unless `kind` is "challenge"; a challenge always has
    a non-empty `problem`. `section` is the heading (or " › "-joined headings) the entry sits under;
    for a note it also names the note, and `title` is its last part.
    """

    kind: Kind
    section: str
    title: str
    body: str = ""
    problem: str | None = None
    solution: str | None = None
    outcome: str | None = None
    topics: tuple[str, ...] = ()

    def text(self) -> str:
        """Every piece of text of the entry, for topic recognition and search."""
        parts = [self.title, self.body, self.problem, self.solution, self.outcome]
        return "\n".join(part for part in parts if part)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of an entry."""
        return {
            "kind": self.kind,
            "section": self.section,
            "title": self.title,
            "body": self.body,
            "problem": self.problem,
            "solution": self.solution,
            "outcome": self.outcome,
            "topics": list(self.topics),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedEntry:
        """Build an entry from its JSON shape (the inverse of `to_dict`)."""
        kind = data["kind"]
        if kind not in KINDS:
            raise ValueError(f'Unknown entry kind "{kind}".')
        return cls(
            kind=kind,
            section=data.get("section", ""),
            title=data.get("title", ""),
            body=data.get("body", ""),
            problem=data.get("problem"),
            solution=data.get("solution"),
            outcome=data.get("outcome"),
            topics=tuple(data.get("topics") or ()),
        )


@dataclass(frozen=True)
class ParsedHub:
    """A whole README: its title, overview, entries in rendering order, topics and parse warnings."""

    title: str = ""
    overview: str = ""
    entries: tuple[ParsedEntry, ...] = ()
    topics: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=True)

    def without_warnings(self) -> ParsedHub:
        """The same hub with no warnings: round trips compare hubs this way (see `parser.parse`)."""
        return replace(self, warnings=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a hub."""
        return {
            "title": self.title,
            "overview": self.overview,
            "entries": [entry.to_dict() for entry in self.entries],
            "topics": list(self.topics),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedHub:
        """Build a hub from its JSON shape (the inverse of `to_dict`)."""
        return cls(
            title=data.get("title", ""),
            overview=data.get("overview", ""),
            entries=tuple(ParsedEntry.from_dict(entry) for entry in data.get("entries") or ()),
            topics=tuple(data.get("topics") or ()),
            warnings=tuple(data.get("warnings") or ()),
        )
