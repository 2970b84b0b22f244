"""Section names as learners write them are recognised (SUMMARY.md §2); item titles are not."""

from __future__ import annotations

import time

import pytest

from nexus.hubs.readme.lines import bold_line, clean_heading
from nexus.hubs.readme.names import is_meta_paragraph, loose_kind, opens_section, placeholders, strict_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("🔑 Key Technologies Covered", "tech"),
        ("**Technologies Used**", "tech"),
        ("🛠️ Key Technologies & Tools", "tech"),
        ("The Tech Stack I Got Comfortable With", "tech"),
        ("📐 Core Backend Concepts", "learning"),
        ("Key Concepts That Actually Stuck", "learning"),
        ("🚀 Major Learnings", "learning"),
        ("⚔ Challenges Faced & Solutions", "challenge"),
        ("Real‑World Challenges & Solutions", "challenge"),
        ("🧩 Debugging Struggles & Lessons Learned", "challenge"),
        ("Some Real Problems I Had to Solve", "challenge"),
        ("5. Challenges, Solutions & Lessons Learned", "challenge"),
        ("Challenges and Solutions: A Technical Deep Dive", "challenge"),
        ("✨ Best Practices and Personal Takeaways", "practice"),
        ("Recommended Practices", "practice"),
        ("What I'd Do Differently", "practice"),
        ("📝 Overview of the Program", "overview"),
        ("🚀 TL;DR", "overview"),
        ("ProDev Backend Engineering Program", "overview"),
        ("📚 Table of Contents", "toc"),
        ("🤝 Collaboration — Key to Success", "collab"),
        ("🗂 Repository Structure", "aside"),
        ("Getting Started", "aside"),
        ("🧭 Final Notes", "note"),
        ("Weekly Breakdown", None),
    ],
)
def test_section_names_are_recognised(name, kind):
    assert loose_kind(name) == kind


@pytest.mark.parametrize(
    "title",
    [
        "Authentication best practices with JWT",  # a learning, not a practices section
        "Key Concepts in Database Design",
        "Prepare you for real-world backend challenges",  # a sentence
        "Challenge 1: API Versioning Conflicts",  # one challenge, not a section
        "Challenge",  # a label
        "Python",
    ],
)
def test_item_titles_and_sentences_are_no_section_names(title):
    assert strict_kind(title) is None


def test_a_nested_name_opens_a_section_by_names_alone():
    assert opens_section("Key Technologies Covered", "Major Learnings")  # under a wrapper
    assert opens_section("Personal Takeaways", "Best Practices and Personal Takeaways")
    assert opens_section("Technical Challenges", "Challenges Faced and Solutions Implemented")
    assert opens_section("Best Practices", "Important Backend Concepts")  # another kind
    assert opens_section("Getting Started", "Important Backend Concepts")
    assert opens_section("Technologies Used", "Featured Project")  # knowledge under a note
    assert not opens_section("Cloud Technologies", "Key Technologies Covered")  # same kind: an entry
    assert not opens_section("Collaboration", "Best Practices")
    assert not opens_section("Prerequisites", "Getting Started")  # under a note, only knowledge


def test_introductions_are_meta_paragraphs():
    assert is_meta_paragraph("Some of the real-world challenges I encountered include:")
    assert is_meta_paragraph("This section highlights industry best practices.")
    assert not is_meta_paragraph("Caching was the next headache.")


def test_placeholders_are_found_once_each():
    text = (
        "[Challenge 1] and [My insight or takeaway], YOUR_USERNAME, your-github-username, "
        "[Your GitHub Profile] twice: [Challenge 1]"
    )

    assert placeholders(text) == [
        "[Challenge 1]",
        "[My insight or takeaway]",
        "YOUR_USERNAME",
        "your-github-username",
        "[Your GitHub Profile]",
    ]


def test_links_and_ordinary_words_are_no_placeholders():
    assert placeholders("[Django](https://djangoproject.com), your application, [optional body]") == []


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("🚀 1. **Key Technologies**", "🚀 1. Key Technologies"),
        ("***Challenges***", "Challenges"),
        ("__Best Practices__ :", "Best Practices"),
        ("*Overview*", "Overview"),
        ("**Half bold*", "**Half bold*"),
        ("**a*b**", "**a*b**"),  # the mark inside: no single span wraps the text
        ("`code`", "`code`"),
        ("## Overview ##", "## Overview"),
    ],
)
def test_heading_text_loses_the_markup_wrapping_it(text, clean):
    assert clean_heading(text) == clean


@pytest.mark.parametrize(
    ("line", "inner"),
    [
        ("**Best Practices**", "Best Practices"),
        ("__Tools__ :", "Tools"),
        ("**Problem:**", "Problem:"),
        ("** spaced**", None),
        ("**Python**: a language", None),
        ("****", None),
    ],
)
def test_a_bold_only_line_gives_its_inner_text(line, inner):
    assert bold_line(line) == inner


def test_long_lines_of_markup_are_read_in_linear_time():
    started = time.perf_counter()
    for line in ("*" * 20_000, "_" * 20_000, "**" + "a " * 10_000 + "*", "1. " + "**x " * 7_000):
        clean_heading(line)
        bold_line(line)
    # The regexes these replace backtracked quadratically: seconds for one such line.
    assert time.perf_counter() - started < 0.5
