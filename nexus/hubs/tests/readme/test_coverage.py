"""word_coverage: the share of a source's words a rendering keeps, markup aside."""

from __future__ import annotations

from nexus.hubs.readme import word_coverage


def test_markdown_syntax_is_no_word():
    assert word_coverage("# **Title**\n\n- `code` | *x*\n1. one", "Title code x one") == 1.0


def test_words_are_counted_as_a_multiset():
    assert word_coverage("go go go stop", "go stop") == 0.5


def test_link_addresses_are_words_too():
    assert word_coverage("[site](https://example.com/page)", "site") == 0.2  # site https example com page


def test_case_is_ignored_and_encoding_is_repaired_first():
    assert word_coverage("ðŸš€ Itâ€™s DONE", "it’s done") == 1.0


def test_field_labels_are_compared_by_meaning():
    source = "Challenge: slow\nSolution: cache\n\n| Challenge | Solution |\n|---|---|\n| a | b |"

    assert word_coverage(source, "**Problem:** slow **Solution:** cache **Problem:** a **Solution:** b") == 1.0


def test_a_text_without_words_is_fully_covered():
    assert word_coverage("--- | ***", "") == 1.0
