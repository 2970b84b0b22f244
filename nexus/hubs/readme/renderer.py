"""Render a `ParsedHub` as a clean README in the Project Nexus convention (pure, deterministic).

Layout:

    # Title
    overview (its "## Overview"-like headings included), then a --- rule
    ## <technologies section>      learning entries whose section names technologies
    ### <entry title>              its body
    ## <other learning sections>
    ## <challenges section>
    ### <challenge title>          body, then **Problem:** / **Solution:** / **Outcome:**
    ## <practices section>
    ## <note section>              every other note, in its original order, with its heading

A section's note (its introduction, its loose text) comes right under the section's heading.
Warnings are not rendered. A line of a body that `parse` would read as a heading, a fence that
never closes, or a label inside a challenge's text gets a leading backslash, which `parse` removes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nexus.hubs.readme.lines import (
    clean_heading,
    escape,
    fence_map,
    fence_regions,
    is_escaped,
    label_of,
    list_marker,
    scan,
)
from nexus.hubs.readme.model import SECTION_SEPARATOR, ParsedEntry, ParsedHub
from nexus.hubs.readme.names import entry_kind, opens_section, placeholders, section_kind

_BLOCK_START = ("-", "*", "+", "|", ">", "<", "#", "```", "~~~", "    ", "\t")


@dataclass
class Section:
    """A knowledge section of the rendered README: its notes' texts, then its entries."""

    name: str
    notes: list[str] = field(default_factory=list)
    entries: list[ParsedEntry] = field(default_factory=list)


def group_of(entry: ParsedEntry) -> int:
    """The rank of an entry's group: technologies, other learnings, challenges, practices, notes."""
    if entry.kind == "learning":
        return 0 if section_kind(entry.section) == "tech" else 1
    return {"challenge": 2, "practice": 3}.get(entry.kind, 4)


def layout(entries: tuple[ParsedEntry, ...] | list[ParsedEntry]) -> tuple[list[Section], list[ParsedEntry]]:
    """The knowledge sections in rendering order, and the other notes in their original order.

    A note belongs to a knowledge section (and is rendered under its heading) when an entry of
    that section exists, unless it holds a template placeholder: such a note is a whole section
    kept as a template, and stays apart so that it is read back as one. Sections come by group,
    then by first appearance.
    """
    knowledge = [entry for entry in entries if entry.kind != "note"]
    names = {entry.section for entry in knowledge}
    sections: dict[tuple[int, str], Section] = {}
    for group in range(4):
        for entry in knowledge:
            if group_of(entry) == group:
                sections.setdefault((group, entry.section), Section(entry.section)).entries.append(entry)
    first_section: dict[str, Section] = {}
    for section in sections.values():
        first_section.setdefault(section.name, section)
    notes: list[ParsedEntry] = []
    for entry in entries:
        if entry.kind == "note" and entry.section in names and not placeholders(entry.body):
            if entry.body:
                first_section[entry.section].notes.append(entry.body)
        elif entry.kind == "note":
            notes.append(entry)
    return list(sections.values()), notes


def rendering_order(entries: tuple[ParsedEntry, ...] | list[ParsedEntry]) -> tuple[ParsedEntry, ...]:
    """Entries in the order `render` writes them, the notes of each knowledge section merged into one.

    This is the order `parse` returns entries in: technologies, other learnings, challenges,
    practices (sections by first appearance, each section's note first), then the other notes.
    """
    sections, notes = layout(entries)
    ordered: list[ParsedEntry] = []
    for section in sections:
        if section.notes:
            title = section.name.split(SECTION_SEPARATOR)[-1]
            ordered.append(ParsedEntry("note", section.name, title, "\n\n".join(section.notes)))
        ordered.extend(section.entries)
    return (*ordered, *notes)


class _Document:
    """The lines being written; `roles` says which lines are content and of what region."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.roles: list[tuple[str, int] | None] = []
        self.sections: dict[int, str] = {}  # the section of each body, by its first line

    def structure(self, line: str) -> None:
        """Add a heading or rule of the layout, after a blank line."""
        if self.lines:
            self._append("", None)
        self._append(line, None)

    def content(self, text: str, region: str, *, labels: bool = False, section: str = "") -> None:
        """Add a body; `labels` escapes lines that would open a challenge field.

        The loose text of a knowledge section ("intro") is written as `parse` stored it, escapes
        included (see `canonical_text`); only a line read as a heading gets escaped below.
        """
        if not text:
            return
        self._append("", None)
        start = len(self.lines)
        self.sections[start] = section
        lines = text.split("\n")
        if region != "intro":
            lines = _protect(lines, labels=labels)
        for line in lines:
            self._append(line, (region, start))

    def field(self, label: str, text: str) -> None:
        """Add "**Problem:** text" (the label alone on its line when the text starts a block)."""
        lines = _protect(text.split("\n"), labels=True)
        self._append("", None)
        first = lines[0]
        start = len(self.lines)
        # Lines wrapped under an inline label lose their common indent when read back, so a text
        # whose other lines share one starts on the line after the label.
        shared_indent = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
        starts_block = first.startswith(_BLOCK_START) or first[:1].isspace() or list_marker(first)
        if not first.strip() or starts_block or shared_indent:
            self._append(f"**{label}:**", None)
            self._append("", None)
            start = len(self.lines)
            rest = lines
        else:
            self._append(f"**{label}:** {first}", None)
            rest = lines[1:]
        for line in rest:
            self._append(line, ("entry", start))

    def _append(self, line: str, role: tuple[str, int] | None) -> None:
        """Add one line; `role` is None for the layout, (region, first line of the body) for a body."""
        self.lines.append(line)
        self.roles.append(role)


def _protect(lines: list[str], *, labels: bool) -> list[str]:
    """Escape what a body's lines would read as on their own: a fence that never closes, a line
    already starting with a backslash `parse` removes and, in a challenge, a field label."""
    lines = list(lines)
    done: set[int] = set()
    for _ in range(len(lines) + 1):
        regions, unclosed = fence_regions(lines)
        if not unclosed:
            break
        lines[unclosed[0]] = escape(lines[unclosed[0]])
        done.add(unclosed[0])
    regions, _ = fence_regions(lines)
    fenced = set(done)
    for start, end in regions.items():
        fenced.update(range(start, end + 1))
    return [
        escape(line) if index not in fenced and (is_escaped(line) or (labels and label_of(line))) else line
        for index, line in enumerate(lines)
    ]


def _offending(doc: _Document) -> set[int]:
    """Lines of bodies that the parser would read as headings that change the structure."""
    fenced, _ = fence_map(doc.lines)
    offending: set[int] = set()
    stacks: dict[int, list[int]] = {}
    for heading in scan(doc.lines, fenced):
        role = doc.roles[heading.line]
        if role is None:
            role = doc.roles[heading.marker]
        if role is None:
            continue
        region, start = role
        # `parse` stores a body's nested headings as '#' headings, so any other style here would
        # change: a bold, bare or underlined heading inside a body is escaped, as is any heading
        # in the text before the first section.
        if heading.style != "atx" or region == "pre":
            offending.add(heading.marker)
        elif region in ("entry", "intro"):
            if heading.level <= 3:
                offending.add(heading.marker)
        elif region == "note":
            stack = stacks.setdefault(start, [])
            while stack and stack[-1] >= heading.level:
                stack.pop()
            if heading.level <= 2 or (not stack and opens_section(heading.text, doc.sections[start])):
                offending.add(heading.marker)
            else:
                stack.append(heading.level)
    return offending


_DASH_RULE = re.compile(r"^ {0,3}---+ *$")


def _is_overview_heading(lines: list[str], index: int) -> bool:
    """Whether a line of the overview is one of its "## Overview"-like headings (alone between blank lines)."""
    line = lines[index]
    heading = line.startswith("## ") and clean_heading(line[3:]) == line[3:].strip()
    heading = heading and section_kind(line[3:].strip()) == "overview"
    heading = heading and (index == 0 or not lines[index - 1].strip())
    return heading and (index + 1 == len(lines) or not lines[index + 1].strip())


def _overview_part(lines: list[str]) -> list[str]:
    """A part of the overview (the text before its first heading, or a heading's text), protected."""
    protected = _protect(lines, labels=False)
    # A "---" rule in the overview (outside code) would read back as the rule that ends it.
    fenced = False
    for index, line in enumerate(protected):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and _DASH_RULE.match(line):
            protected[index] = escape(line)
    return protected


def _overview(doc: _Document, overview: str) -> None:
    """Write the overview: its own "## Overview"-like headings stay headings, the rest is content.

    `parse` reads the text before the first heading and each heading's text apart, so each part is
    protected apart: fences of two parts ("```" over a heading, "```" under it) never pair up
    around the heading, which would read back as code.
    """
    lines = overview.split("\n")
    headings = [index for index in range(len(lines)) if _is_overview_heading(lines, index)]
    region, start = "pre", len(doc.lines) + 1
    doc._append("", None)
    first = 0
    for end in [*headings, len(lines)]:
        for line in _overview_part(lines[first:end]):
            doc._append(line, (region, start))
        if end < len(lines):
            doc._append(lines[end], None)
            region, start = "note", len(doc.lines)
            doc.sections[start] = lines[end][3:].strip()
        first = end + 1


def render(hub: ParsedHub) -> str:
    """The README of a hub; `parse(render(hub))` gives the hub back (see `parser`)."""
    doc = _Document()
    doc.structure(f"# {hub.title}".rstrip())
    sections, notes = layout(hub.entries)
    if hub.overview:
        _overview(doc, hub.overview)
        if sections or notes:
            doc.structure("---")
    for section in sections:
        doc.structure(f"## {section.name}".rstrip())
        for text in section.notes:
            doc.content(text, "intro", section=section.name)
        for entry in section.entries:
            doc.structure(f"### {entry.title}".rstrip())
            if entry.kind == "challenge":
                doc.content(entry.body, "entry", labels=True)
                doc.field("Problem", entry.problem or entry.title)
                if entry.solution is not None:
                    doc.field("Solution", entry.solution)
                if entry.outcome is not None:
                    doc.field("Outcome", entry.outcome)
            else:
                doc.content(entry.body, "entry")
    for note in notes:
        doc.structure(f"## {note.section}".rstrip())
        # The loose text of a knowledge section with no entries is read back like an introduction.
        region = "intro" if entry_kind(section_kind(note.section)) != "note" else "note"
        doc.content(note.body, region, section=note.section)
    for _ in range(10):
        offending = _offending(doc)
        if not offending:
            break
        for index in offending:
            doc.lines[index] = escape(doc.lines[index])
    return "\n".join(doc.lines).rstrip("\n") + "\n"
