"""parse(render(hub)) gives the hub back: property-based, over hubs of every kind of text.

What equality holds, exactly: for a hub `h` whose text is in stored form (see `_stored`) and whose
entries are representable (see `_representable`),

    parse(render(h)) == normalized(h)

where `normalized` only puts the entries in rendering order (merging the notes of a knowledge
section into one), recomputes topics with the recognizer given (none: no topics) and drops
warnings. Stored form is what `parse` itself returns: text through the encoding repair (no control
characters), headings without surrounding markup or trailing colon, bodies without blank lines,
rules or a final hard line break at either end and without a common indent.
"""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nexus.hubs.readme import ParsedEntry, ParsedHub, parse, render
from nexus.hubs.readme.lines import clean_heading, dedent, strip_edges
from nexus.hubs.readme.model import SECTION_SEPARATOR
from nexus.hubs.readme.names import entry_kind, loose_kind, opens_section, placeholders, section_kind
from nexus.hubs.readme.renderer import rendering_order
from nexus.hubs.readme.repair import repair

# Markdown-ish pieces, emoji (ZWJ, keycap, variation selector), broken characters, labels, names.
TOKENS = [
    "Python",
    "django",
    "REST APIs",
    "Celery",
    "caching",
    "is",
    "the",
    "and",
    "**bold**",
    "*italic*",
    "_under_",
    "`code`",
    "[link](https://example.com/a-b)",
    "![img](x.png)",
    "<b>",
    "</div>",
    "|",
    "#",
    "##",
    "#tag",
    "-",
    "--",
    "—",
    "–",
    "Full‑Stack",
    "🚀",
    "🧑‍💻",
    "1️⃣",
    "✅",
    "�",
    "\\",
    "\\#",
    ":",
    "Problem:",
    "**Solution:**",
    "Challenge:",
    "Outcome:",
    "e.g.",
    "(a, b)",
    "Key Technologies",
    "Best Practices",
    "Collaboration",
    "Overview",
    "Table of Contents",
    "[Challenge 1]",
    "YOUR_USERNAME",
]

# Whole lines that look like structure: headings of every style, fences, rules, tables, labels.
LINES = [
    "",
    "# A heading",
    "## Challenges and Solutions",
    "### Python",
    "#### Deep heading",
    "##### Deeper",
    "#NoSpace",
    "- ## Listed heading",
    "---### Glued",
    "```",
    "```python",
    "~~~",
    "print('# not a heading')",
    "---",
    "===",
    "***",
    "- item",
    "* item",
    "  - nested item",
    "1. first",
    "2) second",
    "A. lettered",
    "| Challenge | Solution |",
    "|---|---|",
    "| slow | cache |",
    "> quote",
    "<details>",
    "**Problem:** it broke",
    "Solution: fixed it",
    "*Challenge:* slow",
    "**Solution**",
    "**Best Practices**",
    "Key Technologies Covered",
    "Best Practices & Personal Takeaways",
    "🛠 Challenges & Solutions",
    "5. Challenges, Solutions & Lessons Learned",
    "Collaboration",
    "Getting Started",
    "Overview",
    "Text",
    "    indented code",
    "\tTabbed",
    "Trailing spaces  ",
    "Ends with backslash\\",
]

SECTIONS = {
    "learning": [
        "Key Technologies Covered",
        "🔑 Key Technologies",
        "Important Backend Development Concepts",
        "Major Learnings › 🛠️ Key Technologies Covered",
        "Tech Stack and Tools",
    ],
    "challenge": [
        "Challenges Faced and Solutions Implemented",
        "⚡ Challenges & Solutions",
        "Challenges and Solutions › Learning Curve Management",
        "Some Real Problems I Had to Solve",
    ],
    "practice": [
        "Best Practices & Personal Takeaways",
        "🌟 Best Practices and Takeaways",
        "What I'd Do Differently",
    ],
}

line = st.one_of(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(" ".join),
    st.sampled_from(LINES),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
        max_size=20,
    ),
)
text = st.lists(line, max_size=8).map("\n".join)
one_line = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=5).map(" ".join)


def _stored(value: str) -> str:
    """A text in stored form: repaired; no blank lines, rules or final hard break at the ends; no common indent."""
    lines = strip_edges(repair(value).split("\n"))
    while lines and lines[-1].rstrip().endswith("\\") and not lines[-1].rstrip().endswith("\\\\"):
        lines = strip_edges([*lines[:-1], lines[-1].rstrip()[:-1]])
    return "\n".join(dedent(lines)).rstrip()


@st.composite
def entries(draw: st.DrawFn) -> ParsedEntry:
    kind = draw(st.sampled_from(["learning", "challenge", "practice", "note"]))
    if kind == "note":
        section = clean_heading(repair(draw(one_line)))
        if draw(st.booleans()):
            section = clean_heading(f"{section}{SECTION_SEPARATOR}{repair(draw(one_line))}")
        return ParsedEntry("note", section, section.split(SECTION_SEPARATOR)[-1], _stored(draw(text)))
    section = draw(st.sampled_from(SECTIONS[kind]))
    title = clean_heading(repair(draw(one_line)))
    if kind != "challenge":
        return ParsedEntry(kind, section, title, _stored(draw(text)))
    problem = _stored(draw(text)) or _stored(title) or "a problem"
    solution = draw(st.one_of(st.none(), text.map(_stored)))
    outcome = draw(st.one_of(st.none(), text.map(_stored)))
    return ParsedEntry("challenge", section, title, _stored(draw(text)), problem, solution, outcome)


def _representable(hub: ParsedHub) -> bool:
    """Hubs a README can express: section names agree with kinds, titles do not name sections.

    A heading only carries its text, so a section name must give the entries' kind, a note must
    not be named like a knowledge section (its text would be read as items) nor like an overview
    unless the overview has one already (the first one joins the overview), and an entry must
    not be titled like a section it would open, nor hold a template placeholder (which `parse`
    keeps as a note, not as knowledge). A challenge's text must not hold the inline label
    " Solution:" (read as "Challenge: ... Solution: ..." on one line).
    """
    # The first "Overview"-like section joins the overview; later ones are notes.
    # (a heading line of the overview stands alone between blank lines, as `render` writes it)
    lines = ["", *hub.overview.split("\n"), ""]
    overview_seen = any(
        line.startswith("## ")
        and clean_heading(line[3:]) == line[3:].strip()
        and section_kind(line[3:].strip()) == "overview"
        and not lines[index - 1].strip()
        and not lines[index + 1].strip()
        for index, line in enumerate(lines[1:-1], start=1)
    )
    for entry in hub.entries:
        kind = section_kind(entry.section)
        if entry_kind(kind) != entry.kind:
            return False
        if kind == "overview" and not overview_seen:
            return False
        if entry.kind != "note" and (opens_section(entry.title, entry.section) or placeholders(entry.text())):
            return False
        if entry.kind == "challenge" and re.search(
            r"\S[ \t]+\W{0,2}(?:Solution|Fix)\W{0,2}[ \t]*[:：]", entry.problem or ""
        ):
            return False
    return True


def _normalized(hub: ParsedHub, recognizer=None) -> ParsedHub:
    ordered = rendering_order(hub.entries)
    if recognizer is not None:
        ordered = tuple(replace(entry, topics=tuple(recognizer.find(entry.text()))) for entry in ordered)
        topics = tuple(dict.fromkeys(slug for entry in ordered for slug in entry.topics))
    else:
        ordered = tuple(replace(entry, topics=()) for entry in ordered)
        topics = ()
    return ParsedHub(hub.title, hub.overview, ordered, topics, ())


hubs = st.builds(
    ParsedHub,
    title=one_line.map(lambda value: clean_heading(repair(value))),
    overview=text.map(_stored),
    entries=st.lists(entries(), max_size=6).map(tuple),
).filter(_representable)


class WordRecognizer:
    """A stand-in for the topic recognizer: a few words, found by a regular expression."""

    _pattern = re.compile(r"\b(python|django|celery|caching)\b", re.IGNORECASE)

    def find(self, text: str) -> list[str]:
        return list(dict.fromkeys(match.group().lower() for match in self._pattern.finditer(text)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(hubs)
def test_parse_of_render_gives_the_hub_back(hub):
    # when
    again = parse(render(hub))

    # then
    assert again.without_warnings() == _normalized(hub)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(hubs)
def test_topics_come_from_the_recognizer_on_each_entry(hub):
    recognizer = WordRecognizer()

    again = parse(render(hub), recognizer=recognizer)

    assert again.without_warnings() == _normalized(hub, recognizer)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(ParsedHub, title=one_line, overview=text, entries=st.lists(entries(), max_size=6).map(tuple)))
# "Python |" over "--": a one-column table whose delimiter row has no pipe.
@example(ParsedHub("Python", entries=(ParsedEntry("note", "Key Technologies", "Key Technologies", "Python |\n--"),)))
# "```" over the overview's "## Overview" and under it: two fences never closed, not one around the heading.
@example(
    ParsedHub(
        "Python",
        "```",
        (
            ParsedEntry("note", "Overview", "Overview", "```"),
            ParsedEntry("note", "Python", "Python"),
            ParsedEntry("note", "Python › Overview", "Overview"),
        ),
    )
)
def test_render_of_any_hub_reaches_a_fixpoint_after_one_parse(hub):
    # given: any hub, even one a README cannot express exactly
    once = parse(render(hub)).without_warnings()

    # when
    twice = parse(render(once)).without_warnings()

    # then
    assert twice == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parse_never_raises_and_reaches_a_fixpoint_on_arbitrary_text(source):
    hub = parse(source)

    assert parse(render(hub)).without_warnings() == hub.without_warnings()
    assert not any("could not be read" in warning for warning in hub.warnings)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES + TOKENS), max_size=30).map("\n".join))
def test_markdownish_text_reaches_a_fixpoint(source):
    hub = parse(source)

    assert parse(render(hub)).without_warnings() == hub.without_warnings()
    assert loose_kind("Overview") == "overview"  # the vocabulary the strategies rely on
