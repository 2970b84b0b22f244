"""Recognise topics named in free text: pure Python, no ORM, one compiled regular expression.

A term is a topic's name or one of its aliases. Matching rules:

- Terms match on word boundaries that also work for punctuation ("CI/CD", "Node.js", "C#",
  ".env"): a match may not touch a letter or digit on either side, nor follow a dot (so
  "postgresql" in "www.postgresql.org" is not a mention). An underscore separates words, as in
  _emphasis_ and in names such as REDIS_URL or django_filters.
- Inside a term, a space or hyphen matches any run of spaces, hyphens or line breaks
  ("docker-compose" is "Docker Compose"), and an apostrophe matches a typographic one.
- A term matches in any case unless it is case-sensitive ("Go" the language, not "go").
- A case-insensitive term ending in a letter also matches its plural in "s" ("REST APIs",
  "webhooks"); case-sensitive terms never do, so "goes" is not "Go".
- The longest term wins where several start at the same place ("Django REST Framework" is DRF,
  not Django), and matches do not overlap.
- Web addresses are skipped: a link is not a mention of every word in its path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby
from typing import NamedTuple

# What separates the words of a term (white space, hyphens); any run of them matches any other.
_SEPARATOR_PATTERN = r"[\s\-\u2010\u2011]+"
_SEPARATOR_RUN = re.compile(_SEPARATOR_PATTERN)
_APOSTROPHES = "'\u2019"
_APOSTROPHE_PATTERN = "['\u2019]"
_URL_PATTERN = r"https?://[^\s<>()\[\]{}\"'`|]+"


class Term(NamedTuple):
    """A name or alias (`term`) of the topic `slug`, matched with its exact case or not."""

    term: str
    slug: str
    case_sensitive: bool = False


class Span(NamedTuple):
    """Where a topic is mentioned: `text[start:end]` names the topic `slug`."""

    start: int
    end: int
    slug: str


def normalize_term(term: str) -> str:
    """The form under which two terms count as the same: case, separators and apostrophes ignored."""
    return _key(term).casefold()


def _key(text: str) -> str:
    text = _SEPARATOR_RUN.sub(" ", text.strip())
    return text.replace("\u2019", "'")


def _pluralizable(term: Term) -> bool:
    last = term.term[-1]
    return not term.case_sensitive and last.isalpha() and last.lower() != "s"


def _atoms(text: str, *, fold: bool) -> list[str]:
    """One regex atom per character of `text`; letters match both cases when `fold`.

    Explicit classes ([dD]) rather than (?i:...) let the regex engine skip an alternative
    after one character comparison, which keeps a thousand alternatives fast.
    """
    atoms: list[str] = []
    for char in text:
        if _SEPARATOR_RUN.match(char):
            if not atoms or atoms[-1] != _SEPARATOR_PATTERN:
                atoms.append(_SEPARATOR_PATTERN)
        elif char in _APOSTROPHES:
            atoms.append(_APOSTROPHE_PATTERN)
        elif fold and len(lower := char.lower()) == 1 and len(upper := char.upper()) == 1 and lower != upper:
            atoms.append(f"[{re.escape(lower)}{re.escape(upper)}]")
        else:
            atoms.append(re.escape(char))
    return atoms


def _rest_pattern(term: Term) -> str:
    """The pattern of a term after its first character (which its group matches in either case)."""
    if not term.case_sensitive:
        return "".join(_atoms(term.term[1:], fold=True)) + ("[sS]?" if _pluralizable(term) else "")
    rest = "".join(_atoms(term.term[1:], fold=False))
    whole = _atoms(term.term, fold=False)
    if _SEPARATOR_PATTERN in whole:  # variable width: check the first character's case up front
        return f"(?<={re.escape(term.term[0])}){rest}"
    return f"{rest}(?<={''.join(whole)})"  # fixed width: check the exact text once it has matched


class Recognizer:
    """Finds the topics a text names, given every topic's terms.

    When two topics claim the same term, the first one given keeps it.
    """

    def __init__(self, terms: Iterable[tuple[str, str, bool]]) -> None:
        self._exact: dict[str, str] = {}  # case-sensitive terms, by _key()
        self._folded: dict[str, str] = {}  # case-insensitive terms, by normalize_term()
        kept: list[Term] = []
        for raw in terms:
            term = Term(raw[0].strip(), raw[1], bool(raw[2]))
            if not term.term:
                continue
            if term.case_sensitive:
                key, table = _key(term.term), self._exact
            else:
                key, table = normalize_term(term.term), self._folded
            if key in table:
                continue
            table[key] = term.slug
            kept.append(term)
        self.terms: tuple[Term, ...] = tuple(kept)
        self._regex = self._compile(kept)

    def __len__(self) -> int:
        return len(self.terms)

    @staticmethod
    def _compile(terms: list[Term]) -> re.Pattern[str] | None:
        if not terms:
            return None
        # Terms are grouped by their first character, in either case, so that at each position
        # the engine enters one group at most. Alternatives are tried in order, so within a
        # group longer terms go first: the longest term wins.
        ordered = sorted(terms, key=lambda t: (t.term[0].casefold(), -len(t.term), t.term))
        groups = []
        for _, group in groupby(ordered, key=lambda t: t.term[0].casefold()):
            members = list(group)
            head = _atoms(members[0].term[0], fold=True)[0]
            groups.append(f"{head}(?:{'|'.join(_rest_pattern(t) for t in members)})")
        return re.compile(rf"(?P<url>{_URL_PATTERN})|(?<![^\W_])(?<!\.)(?:{'|'.join(groups)})(?![^\W_])")

    def _slug_for(self, matched: str) -> str | None:
        key = _key(matched)
        if key in self._exact:
            return self._exact[key]
        folded = key.casefold()
        if folded in self._folded:
            return self._folded[folded]
        if folded.endswith("s"):
            return self._folded.get(folded[:-1])
        return None

    def spans(self, text: str) -> list[Span]:
        """Every mention of a topic in `text`, in order."""
        if self._regex is None or not text:
            return []
        found = []
        for match in self._regex.finditer(text):
            if match.group("url") is not None:
                continue
            slug = self._slug_for(match.group())
            if slug is not None:
                found.append(Span(match.start(), match.end(), slug))
        return found

    def find(self, text: str) -> list[str]:
        """The slugs of the topics `text` names, in order of first mention, each once."""
        return list(dict.fromkeys(span.slug for span in self.spans(text)))
