"""The search language, shared by both backends: parsing, tokenizing, typo correction. Pure Python.

The syntax is PostgreSQL's `websearch_to_tsquery`, parsed here once so both backends mean the
same thing by a query:

- words are all required: `celery hanging` finds what has both;
- `"double quotes"` make a phrase: the words in that order, next to each other;
- `-word` or `-"a phrase"` excludes;
- `OR` (upper case) separates alternatives and binds loosest, as in PostgreSQL:
  `a b OR c d` is `(a AND b) OR (c AND d)`;
- English stop words ("the", "how", "to") are ignored, as PostgreSQL's `english`
  configuration ignores them (inside a phrase PostgreSQL lets any word stand in for one,
  SQLite wants that very word); anything that is not a letter or digit separates words
  ("node.js" is the phrase "node js", as both indexes see it).

An alternative made only of exclusions matches nothing (an index cannot list "everything but").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Words made of letters and digits; "_" separates, as in SQLite's unicode61 tokenizer.
_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')

# PostgreSQL's english.stop list (snowball), so SQLite ignores the words PostgreSQL ignores.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing a an the and
    but if or because as until while of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then once here
    there when where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 - a list literal of 127 words is longer to read
)

MIN_CORRECTABLE = 4  # shorter words are too ambiguous to correct ("cach" yes, "rds" no)
MAX_CORRECTIONS = 3  # alternatives added for one unknown word, all at the same (smallest) distance


def words(text: str) -> list[str]:
    """The lower-cased words of a text, as both indexes split it."""
    return _WORD.findall(text.casefold())


def vocabulary_words(text: str) -> set[str]:
    """The words of a text worth remembering for typo correction: letters only, 4 to 40 long."""
    return {w for w in words(text) if MIN_CORRECTABLE <= len(w) <= 40 and w.isalpha()}


@dataclass(frozen=True)
class Atom:
    """One required (or, with `negated`, excluded) word or phrase. `alternatives` are typo corrections."""

    words: tuple[str, ...]
    negated: bool = False
    alternatives: tuple[str, ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    """Alternatives (OR) of conjunctions (AND) of atoms; empty when nothing can match."""

    groups: tuple[tuple[Atom, ...], ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def correctable_words(self) -> list[str]:
        """Single required words long enough to be typo-corrected, in order, without repeats."""
        found = [
            a.words[0]
            for g in self.groups
            for a in g
            if not a.negated and not a.is_phrase and len(a.words[0]) >= MIN_CORRECTABLE and a.words[0].isalpha()
        ]
        return list(dict.fromkeys(found))

    def with_corrections(self, corrections: dict[str, tuple[str, ...]]) -> Query:
        """The same query where each corrected word also matches its corrections."""
        return Query(
            tuple(
                tuple(
                    Atom(a.words, a.negated, corrections.get(a.words[0], ()))
                    if not a.negated and not a.is_phrase
                    else a
                    for a in g
                )
                for g in self.groups
            )
        )

    def has_exclusions(self) -> bool:
        return any(a.negated for g in self.groups for a in g)

    def positive(self) -> Query:
        """The same alternatives without their exclusions (what ranking and the head tier look for)."""
        return Query(tuple(tuple(a for a in g if not a.negated) for g in self.groups))

    def all_words(self) -> list[str]:
        """Every required word and correction (for highlighting)."""
        found = [w for g in self.groups for a in g if not a.negated for w in (*a.words, *a.alternatives)]
        return list(dict.fromkeys(found))


def parse(text: str) -> Query:
    """Parse websearch syntax into a Query (see the module docstring)."""
    groups: list[tuple[Atom, ...]] = []
    current: list[Atom] = []
    for match in _TOKEN.finditer(text or ""):
        negated_phrase, phrase, bare = match.groups()
        if bare == "OR":
            groups.append(tuple(current))
            current = []
            continue
        if phrase is not None:
            negated = negated_phrase == "-"
            tokens = words(phrase)
            if all(w in STOP_WORDS for w in tokens):
                continue
        else:
            negated = bare.startswith("-") and len(bare) > 1
            tokens = words(bare[1:] if negated else bare)
            if len(tokens) == 1 and tokens[0] in STOP_WORDS:
                continue
        if tokens:
            current.append(Atom(tuple(tokens), negated))
    groups.append(tuple(current))
    # An alternative with nothing required cannot be answered from an index; drop it.
    kept = tuple(g for g in groups if any(not a.negated for a in g))
    return Query(kept)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count once), or limit+1 when above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def allowed_edits(word: str) -> int:
    """How many edits a correction of `word` may be away: 1 up to 7 letters, 2 from 8."""
    return 1 if len(word) < 8 else 2


def choose_corrections(word: str, candidates: list[str]) -> tuple[str, ...]:
    """The closest candidates within the allowed edits (none if `word` itself was indexed)."""
    if word in candidates:
        return ()
    limit = allowed_edits(word)
    scored = sorted((edit_distance(word, c, limit), c) for c in set(candidates))
    best = [c for d, c in scored if d <= limit and d == scored[0][0]] if scored else []
    return tuple(best[:MAX_CORRECTIONS])
