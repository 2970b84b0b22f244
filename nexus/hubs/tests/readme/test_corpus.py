"""The 45 real READMEs of ../shared/corpus: read without error, kept word for word, and a fixpoint.

Skipped only when the corpus folder is absent (it lives next to the repository, not in it).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nexus.hubs.readme import ParsedHub, parse, render, word_coverage

# nexus/hubs/tests/readme/test_corpus.py -> the repository is parents[4], the corpus its sibling.
CORPUS = Path(__file__).resolve().parents[4].parent / "shared" / "corpus" / "readmes"
FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS}")

# Challenges counted by reading each file (not by running the parser): an item of a challenges
# section is one challenge, whatever its shape; a template placeholder or a prose aside is none.
CHALLENGES_BY_HAND = {
    "001": 3,  # three "- Designing APIs..." bullets with no solution (N); the closing paragraph is prose
    "002": 7,  # four under "Technical Challenges", three under "Learning Curve Management" (I)
    "003": 6,  # four problem/solution line pairs, then "Time constraint" and "Meeting remote peers" (L)
    "004": 4,  # four "Challenge:" / "Solution:" paragraph pairs (J)
    "005": 4,  # four bold titles with italic labels (D)
    "006": 0,  # no challenges section (Q)
    "007": 5,  # five "- **Title**: fix" bullets (I)
    "008": 4,  # four "- **Title**: fix" bullets (I)
    "009": 0,  # only the "[Challenge 1]" template (F, placeholders)
    "010": 8,  # a table of eight rows (A)
    "011": 5,  # a three-column table of five rows (B)
    "012": 3,  # "Challenge 1..3" bold bullets with "*Solution*:" (H)
    "013": 1,  # "1. Authentication & Security Risks" with bullet lists and code (O)
    "014": 3,  # three "Challenge: ... Solution: ..." lines (K)
    "015": 4,  # "### **Challenge N**" headings with labels (C)
    "016": 5,  # five consecutive Challenge/Solution line pairs (J)
    "017": 3,  # three bullets holding both labels (E)
    "018": 8,  # four "### Challenge N" headings, then four pasted "Challenge N" blocks (C + K)
    "019": 4,  # four "### Challenge N" headings, labels alone on their line (C)
    "020": 4,  # a table of four rows (A)
    "021": 3,  # three title / Challenge / Solution triplets (J)
    "022": 6,  # "#### Challenge 1" (unfinished, P), then five "### N. Title" headings (C)
    "023": 3,  # three "### Challenge N" headings (C)
    "024": 4,  # a table of four rows (A)
    "025": 0,  # no challenges section (Q)
    "026": 5,  # "N. Challenge: Title" + "Solution:" (J)
    "027": 9,  # three groups of three indented challenges with extra labels (J)
    "028": 3,  # three bullets with a Pandoc backslash break before "Solution" (E)
    "029": 3,  # three "Challenge" bullets with a nested "Solution" bullet (F)
    "030": 3,  # three "* Challenge:" bullets with a lazy "Solution:" line (J)
    "031": 5,  # a table of five rows (A)
    "033": 6,  # an Area / Challenge / Solution table of six rows (B)
    "034": 3,  # three bullets holding both labels (E)
    "035": 0,  # no challenges section (Q)
    "036": 4,  # a table of four rows (A)
    "037": 3,  # three "### Challenge N" headings (C)
    "038": 1,  # a single prose bullet "The journey was a bit intense..." (N)
    "039": 6,  # three "**Title:** fix" bullets in each of two tracks (I)
    "040": 0,  # no challenges section; one paragraph tells a challenge in "Deploy on Vercel" (M, kept as a note)
    "041": 0,  # the heading is empty (Q)
    "042": 3,  # an ordered list with both labels (G)
    "043": 10,  # three prose bullets (N), then a table of seven rows (A)
    "044": 3,  # three bullets holding both labels (E)
    "045": 3,  # three prose paragraphs under "Some Real Problems I Had to Solve" (M)
    "046": 3,  # three bold "**Challenge:**" / "**Solution:**" line pairs (J)
}


@cache
def _parsed(name: str) -> tuple[str, ParsedHub]:
    source = (CORPUS / name).read_text(encoding="utf-8")
    return source, parse(source)


def _names() -> list[str]:
    return [path.name for path in FILES]


@pytest.mark.parametrize("name", _names())
def test_every_file_is_read_without_an_internal_error(name):
    _, hub = _parsed(name)

    assert hub.title or hub.overview or hub.entries
    assert not any("could not be read" in warning for warning in hub.warnings)


@pytest.mark.parametrize("name", _names())
def test_rendering_keeps_at_least_99_percent_of_the_words(name):
    source, hub = _parsed(name)

    assert word_coverage(source, render(hub)) >= 0.99


@pytest.mark.parametrize("name", _names())
def test_parse_render_parse_is_a_fixpoint(name):
    _, hub = _parsed(name)

    again = parse(render(hub))

    assert again.without_warnings() == hub.without_warnings()
    assert render(again) == render(hub)


def test_the_hand_counted_files_are_all_in_the_corpus():
    assert len(CHALLENGES_BY_HAND) >= 20
    assert {name[:3] for name in _names()} >= set(CHALLENGES_BY_HAND)


@pytest.mark.parametrize("number", sorted(CHALLENGES_BY_HAND))
def test_challenge_count_matches_the_count_by_hand(number):
    name = next(name for name in _names() if name.startswith(number))
    _, hub = _parsed(name)

    found = sum(1 for entry in hub.entries if entry.kind == "challenge")

    assert found == CHALLENGES_BY_HAND[number]


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "sloppy-windows-1254", "mac_roman"])
@pytest.mark.parametrize("name", _names())
def test_mojibake_copies_parse_like_the_original(name, codec):
    # given: the file as it looks when its UTF-8 bytes are read as Windows-1252/1254 or MacRoman
    # (MacRoman copies lose the Apple logo that stands for byte 0xF0)
    import ftfy.bad_codecs  # noqa: F401 - registers the sloppy codecs

    source, hub = _parsed(name)
    damaged = source.encode("utf-8").decode(codec).replace("\uf8ff", "")

    # when
    repaired = parse(damaged)

    # then
    assert repaired.without_warnings() == hub.without_warnings()


def test_challenges_of_the_commonest_shapes_are_split_into_problem_and_solution():
    _, hub = _parsed(next(name for name in _names() if name.startswith("004")))

    challenge = next(entry for entry in hub.entries if entry.kind == "challenge")

    assert (challenge.title, challenge.problem, challenge.solution) == (
        "Designing an efficient database schema for e-commerce operations.",
        "Designing an efficient database schema for e-commerce operations.",
        "Created an ERD using Draw.io to visualize and optimize relationships (e.g., User to Cart, Product to "
        "OrderItem).",
    )
