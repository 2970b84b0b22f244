"""How much of a README's text a rendering keeps: the share of its words found again, as a multiset.

Words are runs of letters and digits, compared without case, after the same encoding repair as
`parse`. Markdown syntax is no word: '#', '*', '|', '-', backticks and other punctuation separate
words, and the numbers of ordered list markers ("1.") are dropped. Link and image addresses are
text, so their parts ("github", "com") count. A field label is compared by meaning: a source's
"Challenge:" or "Issue:" label is matched by a rendered "**Problem:**", "Fix:" by "**Solution:**",
"Result:" or "Impact:" by "**Outcome:**"; so is a table's column name ("| Challenge | Solution |").
"""

from __future__ import annotations

import re
from collections import Counter

from nexus.hubs.readme.lines import LABEL, label_of
from nexus.hubs.readme.repair import repair

_WORD = re.compile(r"[^\W_]+")
_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Column names of a challenges table, which the rendering turns into its field labels.
_HEADER_LABELS = {
    "challenge": "problem",
    "challenges": "problem",
    "problem": "problem",
    "issue": "problem",
    "description": "problem",
    "solution": "solution",
    "solutions": "solution",
    "solution implemented": "solution",
    "fix": "solution",
    "outcome": "outcome",
    "result": "outcome",
}
_ORDERED_MARKER = re.compile(r"^[ \t]*(?:>[ \t]*)*\d{1,3}[.)](?=[ \t]|$)")


def _header_labels(line: str) -> str:
    """The cells of a challenges table's header named by field ("Challenge" -> problem)."""
    cells = [cell.strip(" *_`") for cell in line.strip().strip("|").split("|")]
    named = [_HEADER_LABELS.get(cell.casefold(), cell) for cell in cells]
    if "problem" in named and "solution" in named:
        return " | ".join(named)
    return line


def words(text: str) -> Counter[str]:
    """The words of a Markdown text, lower-cased, labels named by their field, as a multiset."""
    counts: Counter[str] = Counter()
    lines = repair(text).split("\n")
    for index, line in enumerate(lines):
        if "|" in line and index + 1 < len(lines) and _TABLE_DELIMITER.match(lines[index + 1]):
            line = _header_labels(line)
        line = _ORDERED_MARKER.sub(" ", line)
        label = label_of(line)
        if label is not None:
            match = LABEL.match(line)
            if match is not None:
                line = f"{line[: match.start('label')]} {label[0]} {line[match.end('label') :]}"
        counts.update(word.casefold() for word in _WORD.findall(line))
    return counts


def word_coverage(source: str, rendered: str) -> float:
    """The fraction of the source's words that the rendered text holds (1.0 for a text with no words)."""
    wanted = words(source)
    total = sum(wanted.values())
    if not total:
        return 1.0
    found = words(rendered)
    kept = sum(min(count, found[word]) for word, count in wanted.items())
    return kept / total
