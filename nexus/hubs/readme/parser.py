"""Parse a learner's README into a `ParsedHub`: pure, total (never raises), and a fixpoint of `render`.

Steps: repair encoding damage and line breaks (`repair`); find code fences and headings of every
style (`lines.scan`); take the title (the first H1, else the first line) and build the tree of
sections; read the overview (the text before the first section, then the first "Overview"-like
sections, each kept as a "## ..." heading in it); then each section by the kind its name gives:

- technologies / concepts / learnings -> a learning entry per item or nested heading,
- challenges -> a challenge per item, table row or nested heading, whatever its shape,
- best practices / takeaways -> a practice entry per item,
- anything else -> a note, kept whole with its heading (a nested knowledge section breaks out).

Nothing is dropped. Text of a knowledge section that is no item (an introduction, a quote, a
closing remark) becomes a note named after the section, with a warning; a section with nothing in
it becomes an empty note, so that its heading stays; an unknown section is a note, with a warning.
Template placeholders ("[Challenge 1]", "YOUR_USERNAME") are reported as warnings; a knowledge
section holding one is a template, not knowledge, so all its text is kept as one note instead of
entries. Headings nested under others name entries' sections "Major Learnings › Key Technologies".

Entries come out in the order `render` writes them (`renderer.rendering_order`), so that for every
hub `h` this function returns, `parse(render(h)) == h` up to warnings. Warnings describe the source
(a fence never closed, an unknown section, loose text), which a rendered README may no longer show.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Protocol, cast

from nexus.hubs.readme import challenges as challenge_reader
from nexus.hubs.readme import items as item_reader
from nexus.hubs.readme.blocks import Block, join_loose
from nexus.hubs.readme.lines import (
    Heading,
    canonical_text,
    clean_heading,
    close_fences,
    fence_map,
    is_thematic_break,
    scan,
    strip_edges,
)
from nexus.hubs.readme.model import SECTION_SEPARATOR, Kind, ParsedEntry, ParsedHub
from nexus.hubs.readme.names import entry_kind, loose_kind, opens_section, placeholders, section_kind, strict_kind
from nexus.hubs.readme.renderer import rendering_order
from nexus.hubs.readme.repair import repair

logger = logging.getLogger(__name__)

# Heading levels of the rendered README; bodies keep their own headings deeper than these.
ENTRY_BODY_LEVEL = 4
NOTE_BODY_LEVEL = 3


class Recognizer(Protocol):
    """Finds topic slugs in text (nexus.topics.recognizer.Recognizer)."""

    def find(self, text: str) -> list[str]:
        """The slugs of the topics `text` names, in order, each once."""
        ...


@dataclass(eq=False)
class _Node:
    heading: Heading | None
    level: int
    start: int  # first line of the section's content
    end: int = 0  # first line after the section (children included)
    children: list[_Node] = field(default_factory=list)

    @property
    def own_end(self) -> int:
        """The end of the text before the first nested heading."""
        return self.children[0].heading.line if self.children and self.children[0].heading else self.end

    @property
    def name(self) -> str:
        """The section's heading text."""
        return self.heading.text if self.heading else ""


def _last_part(section: str) -> str:
    """A note's title: the last of the headings its section joins."""
    return section.split(SECTION_SEPARATOR)[-1]


class _Reader:
    """One parse: the lines, the tree, and the entries and warnings found so far."""

    def __init__(self, text: str) -> None:
        self.lines = repair(text).split("\n")
        self.fenced, unclosed = fence_map(self.lines)
        self.entries: list[ParsedEntry] = []
        self.headings: dict[int, Heading] = {}
        self.warnings: list[str] = [
            f"Line {index + 1} opens a code fence that is never closed; it is closed where its section ends."
            for index in unclosed
        ]

    # --- structure ---------------------------------------------------------------------------------

    def _title(self, headings: list[Heading]) -> tuple[Heading | None, list[Heading]]:
        """The title heading (the first H1, else the first line), and the other headings."""
        first_h1 = next((h for h in headings if h.level == 1 and h.style in ("atx", "setext")), None)
        if first_h1 is not None:
            rest = [h if h.level > 1 else Heading(h.line, h.end, 2, h.text, h.style) for h in headings]
            return first_h1, [h for h in rest if h.line != first_h1.line]
        first = next((i for i, line in enumerate(self.lines) if line.strip() and not self.fenced[i]), None)
        if first is None:
            return None, headings
        at_first = next((h for h in headings if h.line == first), None)
        if at_first is not None and at_first.style == "bare" and strict_kind(at_first.text) in ("note", "collab"):
            at_first = None  # "Project Nexus Notes" names the document, not a section
        if at_first is not None and at_first.style == "atx":
            title = Heading(at_first.line, at_first.end, 1, at_first.text, "atx")
            return title, [h for h in headings if h is not at_first]
        if at_first is None:
            line = self.lines[first].strip()
            if line[0] in "<![|>`-*+~=" or line.startswith("#"):
                return None, headings
            rest = [h for h in headings if h.line != first]
            return Heading(first, first + 1, 1, clean_heading(line), "title"), rest
        # The first line is a section name ("Repository Structure"): the title is a plain line right
        # before the overview, if there is one.
        for heading in headings:
            if loose_kind(heading.text) == "overview" and heading.line > 0:
                above = heading.line - 1
                line = self.lines[above].strip()
                if line and not self.fenced[above] and not any(h.line == above for h in headings):
                    return Heading(above, above + 1, 1, clean_heading(line), "title"), headings
                break
        return None, headings

    def _tree(self, title: Heading | None, headings: list[Heading]) -> tuple[_Node, _Node | None]:
        """The sections as a tree by heading level (the root holds what comes before the title)."""
        root = _Node(None, 0, 0, len(self.lines))
        title_node = None
        stack = [root]
        ordered = sorted([*headings, *([title] if title else [])], key=lambda h: h.line)
        for heading in ordered:
            node = _Node(heading, heading.level, heading.end)
            if heading is title:
                title_node = node
            while stack[-1].level >= node.level:
                stack.pop().end = heading.line
            stack[-1].children.append(node)
            stack.append(node)
        for node in stack[1:]:
            node.end = len(self.lines)
        return root, title_node

    # --- reading -----------------------------------------------------------------------------------

    def _span(self, start: int, end: int) -> list[str]:
        """Lines of a section's text, its nested headings written as '#' headings.

        A bold or bare heading, or an underlined one, is a heading by rules that a rendering could
        read differently elsewhere (a bold line takes the level of the '#' heading before it); as
        '#' headings of their level they read the same wherever the text goes.
        """
        lines: list[str] = []
        index = start
        while index < end:
            heading = self.headings.get(index)
            if heading is not None and heading.style != "atx":
                lines.append(f"{'#' * heading.level} {heading.text}".rstrip())
                index = heading.end
                continue
            lines.append(self.lines[index])
            index += 1
        return lines

    def read(self, recognizer: Recognizer | None) -> ParsedHub:
        """The hub: title, overview, then every section read by its kind."""
        headings = scan(self.lines, self.fenced)
        title_heading, headings = self._title(headings)
        self.headings = {heading.line: heading for heading in headings}
        root, title_node = self._tree(title_heading, headings)
        top = [node for node in root.children if node is not title_node]
        if title_node is not None:
            top = sorted([*top, *title_node.children], key=lambda node: node.heading.line if node.heading else 0)
        first_heading = root.children[0].heading.line if root.children and root.children[0].heading else len(self.lines)
        pre = self.lines[:first_heading]
        if title_node is not None:
            pre = [*pre, "", *self.lines[title_node.start : title_node.own_end]]
        overview_parts = [canonical_text(pre, min_level=NOTE_BODY_LEVEL)]
        overview_nodes = self._overview_nodes(top)
        for node in top:
            if node in overview_nodes:
                body = self._note_body(node, [node.name])
                overview_parts.append(f"## {node.name}".rstrip() + (f"\n\n{body}" if body else ""))
            else:
                self._section(node, [])
        overview = "\n\n".join(part for part in overview_parts if part)
        title = title_node.name if title_node else ""
        entries = list(rendering_order(self.entries))
        return self._finish(title, overview, entries, recognizer)

    def _overview_nodes(self, top: list[_Node]) -> set[_Node]:
        """The first overview-like top-level section and those right after it (not after a rule)."""
        chosen: list[_Node] = []
        for node in top:
            is_overview = section_kind(node.name) == "overview"
            if chosen:
                if not is_overview or self._ends_with_rule(chosen[-1]):
                    break
                chosen.append(node)
            elif is_overview:
                chosen.append(node)
        return set(chosen)

    def _ends_with_rule(self, node: _Node) -> bool:
        """Whether a section's text ends with a horizontal rule (which ends the overview)."""
        for line in reversed(self.lines[node.start : node.end]):
            if line.strip():
                return is_thematic_break(line)
        return False

    def _add(self, entry: ParsedEntry) -> None:
        self.entries.append(entry)

    def _section(self, node: _Node, path: list[str]) -> None:
        """A section under the headings `path`: a note, or the entries of a knowledge section."""
        path = [*path, node.name]
        section = SECTION_SEPARATOR.join(path)
        kind = section_kind(section)
        if entry_kind(kind) == "note":
            body = self._note_body(node, path)
            self._add(ParsedEntry("note", section, _last_part(section), body))
            if kind is None:
                self.warnings.append(f'Section "{section}" is not a known README section; kept as a note.')
            return
        own = self.lines[node.start : node.own_end]
        self._content(section, kind, own, node.children, path)

    def _note_body(self, node: _Node, path: list[str]) -> str:
        """A note's text: its own and its nested sections', except nested knowledge sections."""
        lines: list[str] = []
        cursor = node.start
        for child in node.children:
            if opens_section(child.name, SECTION_SEPARATOR.join(path)):
                # A knowledge section under a note (a mis-levelled heading, a project's stack)
                # is a section of its own: the note is no parent of it.
                assert child.heading is not None  # a nested node always starts at a heading
                lines.extend(self._span(cursor, child.heading.line))
                cursor = child.end
                self._section(child, [])
        lines.extend(self._span(cursor, node.end))
        return canonical_text(lines, min_level=NOTE_BODY_LEVEL)

    def _content(self, section: str, kind: str | None, own: list[str], children: list[_Node], path: list[str]) -> None:
        """The entries of a knowledge section: its own text's items, then its nested headings.

        A section holding a template placeholder ("[Challenge 1]") is a template, not knowledge:
        all its text is kept as one note (nested sections of their own are still read).
        """
        before = len(self.entries)
        entry = entry_kind(kind)
        opening: list[_Node] = []
        scope = list(own)
        for child in children:
            lines = self._span(child.start, child.end)
            if opens_section(child.name, section) or (entry == "challenge" and challenge_reader.is_group(lines)):
                opening.append(child)
            else:
                # Written as a '#' heading whatever its style, so that it reads the same way again.
                scope.extend([f"{'#' * child.level} {child.name}".rstrip(), *lines])
        found = placeholders("\n".join(scope))
        if found:
            for placeholder in found:
                self.warnings.append(
                    f'Template placeholder "{placeholder}" in "{section}": kept as a note, not imported as knowledge.'
                )
            self._add(ParsedEntry("note", section, _last_part(section), _text(scope, ENTRY_BODY_LEVEL, raw=True)))
            for child in opening:
                self._nested(child, path)
            return
        # Stored text has its fences closed: read the section as it will read once rendered.
        own = close_fences(strip_edges(own))
        loose: list[Block] = []
        if entry == "challenge":
            found_challenges, loose = challenge_reader.split_challenges(own)
            for challenge in found_challenges:
                self._challenge(section, challenge)
        else:
            items, loose = item_reader.split_items(own, entry)
            for item in items:
                self._item(section, entry, item, path)
        for child in children:
            lines = self._span(child.start, child.end)
            if child in opening:
                self._nested(child, path)
            elif entry == "challenge":
                self._challenge(section, challenge_reader.from_fields(child.name, lines))
            else:
                self._item(section, entry, item_reader.Item(child.name, lines), path)
        text = _text(join_loose(loose), ENTRY_BODY_LEVEL, raw=True)
        if text:
            self._add(ParsedEntry("note", section, _last_part(section), text))
            self.warnings.append(f'Text in "{section}" that is no list of items was kept as a note.')
        elif len(self.entries) == before:
            self._add(ParsedEntry("note", section, _last_part(section), ""))

    def _nested(self, child: _Node, path: list[str]) -> None:
        """A nested heading that opens a section; "Getting Started" under "Concepts" is no part of it."""
        self._section(child, [] if strict_kind(child.name) in ("aside", "toc") else path)

    def _item(self, section: str, entry: str, item: item_reader.Item, path: list[str]) -> None:
        """A learning or practice entry, or the section its title opens."""
        if opens_section(item.title, section):
            # "- **Key Technologies**: ..." under "Major Learnings": a section of its own.
            aside = strict_kind(item.title) in ("aside", "toc")
            sub = item.title if aside else f"{section}{SECTION_SEPARATOR}{item.title}"
            sub_kind = section_kind(sub)
            if entry_kind(sub_kind) == "note":
                self._add(ParsedEntry("note", sub, _last_part(sub), _text(item.body, NOTE_BODY_LEVEL)))
            else:
                self._content(sub, sub_kind, item.body, [], [*path, item.title])
            return
        self._add(ParsedEntry(cast(Kind, entry), section, item.title, _text(item.body, ENTRY_BODY_LEVEL)))

    def _challenge(self, section: str, challenge: challenge_reader.Challenge) -> None:
        """A challenge entry, its fields in stored form; its problem is never empty."""

        def field(lines: list[str] | None) -> str | None:
            return None if lines is None else _text(lines, ENTRY_BODY_LEVEL)

        # A title that names a section ("Best Practices") would open one when read back: such a
        # challenge keeps its text in its fields and goes untitled.
        title = "" if opens_section(challenge.title, section) else challenge.title
        self._add(
            ParsedEntry(
                "challenge",
                section,
                title,
                field(challenge.body) or "",
                field(challenge.problem) or _text([challenge.title], ENTRY_BODY_LEVEL),
                field(challenge.solution),
                field(challenge.outcome),
            )
        )

    def _finish(
        self, title: str, overview: str, entries: list[ParsedEntry], recognizer: Recognizer | None
    ) -> ParsedHub:
        """The hub, with the placeholders of notes reported and topics found."""
        for entry in entries:
            if entry.kind == "note":
                for placeholder in placeholders(entry.body):
                    message = f'Template placeholder "{placeholder}" in "{entry.section}".'
                    if not any(f'"{placeholder}" in "{entry.section}"' in warning for warning in self.warnings):
                        self.warnings.append(message)
        for placeholder in placeholders(f"{title}\n{overview}"):
            self.warnings.append(f'Template placeholder "{placeholder}" in the title or overview.')
        topics: tuple[str, ...] = ()
        if recognizer is not None:
            found = [tuple(recognizer.find(entry.text())) for entry in entries]
            entries = [replace(entry, topics=slugs) for entry, slugs in zip(entries, found, strict=True)]
            topics = tuple(dict.fromkeys(slug for slugs in found for slug in slugs))
        return ParsedHub(title, overview, tuple(entries), topics, tuple(dict.fromkeys(self.warnings)))


def _text(lines: list[str], min_level: int, *, raw: bool = False) -> str:
    """Lines in stored form (`lines.canonical_text`)."""
    return canonical_text(lines, min_level=min_level, raw=raw)


def parse(text: str | bytes, *, recognizer: Recognizer | None = None) -> ParsedHub:
    """Parse a README into a hub; never raises (an internal error yields one note with all the text).

    Bytes are read as UTF-8 (undecodable bytes become U+FFFD). With a `recognizer`, each entry's
    topics are `recognizer.find(entry text)` and the hub's their union in order; without, none.
    """
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", "replace")
    try:
        return _Reader(text).read(recognizer)
    except Exception:  # a README must always import: keep all of it, report, and log the bug
        logger.exception("README parse failed")
        body = text.strip() if isinstance(text, str) else ""
        return ParsedHub(
            entries=(ParsedEntry("note", "", "", body),),
            warnings=("The README could not be read into sections; all of it was kept as one note.",),
        )
